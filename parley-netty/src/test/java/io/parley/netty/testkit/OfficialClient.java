package io.parley.netty.testkit;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The official Java Socket.IO client ({@code io.socket:socket.io-client}, WebSocket only, no
 * reconnection) connected at construction, recording every event it receives and answering
 * {@code ask} with {@code answer-<label>}: the real client of the cluster tests. Raw-protocol
 * work goes through {@link TestClient}.
 */
public final class OfficialClient implements AutoCloseable {
  private final Socket socket;
  private final String label;
  private final Map<String, BlockingQueue<Object[]>> events = new ConcurrentHashMap<>();
  private final CompletableFuture<String> disconnected = new CompletableFuture<>();

  /** Connects to {@code nsp} on 127.0.0.1:{@code port} with {@code query} (or null); waits for {@code connect}. */
  public OfficialClient(int port, String nsp, String query, String label) throws Exception {
    this.label = label;
    IO.Options o = IO.Options.builder().setTransports(new String[] {"websocket"}).setForceNew(true)
        .setReconnection(false).setQuery(query).build();
    socket = IO.socket(URI.create("http://127.0.0.1:" + port + nsp), o);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.on(Socket.EVENT_CONNECT, x -> connected.complete(null));
    socket.on(Socket.EVENT_CONNECT_ERROR, x -> connected.completeExceptionally(new IllegalStateException(
        "connect_error " + (x.length > 0 ? x[0] : ""))));
    socket.on(Socket.EVENT_DISCONNECT, x -> disconnected.complete(x.length > 0 ? String.valueOf(x[0]) : ""));
    socket.onAnyIncoming(args -> {
      String event = String.valueOf(args[0]);
      Object[] rest = new Object[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      if ("ask".equals(event) && rest.length > 0 && rest[rest.length - 1] instanceof Ack ack) {
        ack.call("answer-" + label);
      }
      events.computeIfAbsent(event, k -> new LinkedBlockingQueue<>()).add(rest);
    });
    socket.connect();
    try {
      connected.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.close();
      throw e;
    }
  }

  public String label() {
    return label;
  }

  public String id() {
    return socket.id();
  }

  private BlockingQueue<Object[]> queue(String event) {
    return events.computeIfAbsent(event, k -> new LinkedBlockingQueue<>());
  }

  /** The first argument of the next {@code event}, waiting up to 5 s; null when none came. */
  public Object next(String event) throws InterruptedException {
    Object[] args = queue(event).poll(5, TimeUnit.SECONDS);
    return args == null ? null : args.length == 0 ? "" : args[0];
  }

  /** The first argument of an {@code event} received within {@code millis}, or null. */
  public Object poll(String event, long millis) throws InterruptedException {
    Object[] args = queue(event).poll(millis, TimeUnit.MILLISECONDS);
    return args == null ? null : args.length == 0 ? "" : args[0];
  }

  public void clear(String event) {
    queue(event).clear();
  }

  /** Completes with the reason once the server disconnects this client. */
  public CompletableFuture<String> disconnected() {
    return disconnected;
  }

  public boolean connected() {
    return socket.connected();
  }

  @Override
  public void close() {
    socket.close();
  }
}
