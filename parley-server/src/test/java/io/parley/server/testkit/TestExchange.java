package io.parley.server.testkit;

import io.parley.server.engine.EngineExecutor;
import io.parley.server.engine.HttpExchange;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import io.parley.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An in-memory {@link HttpExchange}: keeps the response it gets, lets the test close its
 * "connection", and turns into a {@link TestWebSocket} when the engine upgrades it.
 */
public final class TestExchange implements HttpExchange {
  private final EngineExecutor executor;
  private HttpResponse response;
  private int responses;
  private final List<Runnable> closeListeners = new ArrayList<>();
  private TestWebSocket webSocket;

  public TestExchange(EngineExecutor executor) {
    this.executor = executor;
  }

  @Override
  public synchronized void respond(HttpResponse r) {
    response = r;
    responses++;
    closeListeners.clear();
  }

  @Override
  public EngineExecutor executor() {
    return executor;
  }

  @Override
  public synchronized void onClose(Runnable r) {
    closeListeners.add(r);
  }

  @Override
  public void upgrade(int maxMessageBytes, String firstMessage, Function<WebSocketSink, WebSocketHandler> open) {
    TestWebSocket ws = new TestWebSocket();
    if (firstMessage != null) {
      ws.sendText(firstMessage.getBytes(StandardCharsets.UTF_8));
      ws.flush();
    }
    ws.handler = open.apply(ws);
    webSocket = ws;
  }

  /** The client drops the connection before the answer (a parked long poll's socket closes). */
  public void dropConnection() {
    List<Runnable> l;
    synchronized (this) {
      l = List.copyOf(closeListeners);
      closeListeners.clear();
    }
    l.forEach(Runnable::run);
  }

  /** Whether the request has been answered. */
  public synchronized boolean answered() {
    return response != null;
  }

  public synchronized int responses() {
    return responses;
  }

  /** The response; fails when none came yet. */
  public synchronized HttpResponse response() {
    if (response == null) {
      throw new AssertionError("no response yet");
    }
    return response;
  }

  public int status() {
    return response().status();
  }

  public String body() {
    return new String(response().body(), StandardCharsets.UTF_8);
  }

  /** The WebSocket this request became; fails when it was not upgraded. */
  public TestWebSocket webSocket() {
    if (webSocket == null) {
      throw new AssertionError("not upgraded");
    }
    return webSocket;
  }
}
