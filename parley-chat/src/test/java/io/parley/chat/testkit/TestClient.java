package io.parley.chat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The official Java client ({@code io.socket:socket.io-client}) with every received event queued,
 * payloads converted to Jackson trees for assertions.
 */
public final class TestClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(5);
  private static final List<String> EVENTS = List.of("room:history", "room:member-update", "chat:message",
      "chat:read-receipt", "chat:user-typing", "chat:user-stopped-typing", "chat:direct", "notification", "job:progress",
      "notifications:unread", "admin:stock-alert", "admin:announcement", "error");

  private final Socket socket;
  private final Map<String, BlockingQueue<JsonNode>> received = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonNode> connectError = new CompletableFuture<>();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();

  private TestClient(Socket socket) {
    this.socket = socket;
  }

  public static io.socket.client.SocketOptionBuilder options() {
    return IO.Options.builder().setForceNew(true).setReconnection(false).setTransports(new String[] {WebSocket.NAME});
  }

  /** Connects and waits for the outcome (connected or refused). */
  public static TestClient connect(String url, IO.Options options) {
    TestClient c = new TestClient(IO.socket(URI.create(url), options));
    for (String e : EVENTS) {
      c.socket.on(e, args -> c.queue(e).add(args.length == 0 ? TestApp.JSON.nullNode() : tree(args[0])));
    }
    c.socket.on(Socket.EVENT_CONNECT, args -> c.connected.complete(null));
    c.socket.on(Socket.EVENT_CONNECT_ERROR, args -> c.connectError.complete(tree(args[0])));
    c.socket.connect();
    CompletableFuture.anyOf(c.connected, c.connectError).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    return c;
  }

  static JsonNode tree(Object o) {
    try {
      if (o instanceof JSONObject || o instanceof JSONArray) {
        return TestApp.JSON.readTree(o.toString());
      }
      return TestApp.JSON.valueToTree(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private BlockingQueue<JsonNode> queue(String event) {
    return received.computeIfAbsent(event, k -> new LinkedBlockingQueue<>());
  }

  public boolean isConnected() {
    return connected.isDone() && !connectError.isDone();
  }

  /** Whether the socket is connected now (false once the server disconnected it). */
  public boolean isConnectedNow() {
    return socket.connected();
  }

  /** The CONNECT_ERROR payload {@code {message, data}}; fails when the connection was accepted. */
  public JsonNode refusal() {
    assertThat(connectError).as("connection refused").isDone();
    return connectError.join();
  }

  /** The next {@code event} received (waiting up to 5 s); fails when none comes. */
  public JsonNode next(String event) {
    try {
      JsonNode n = queue(event).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(n).as("event %s", event).isNotNull();
      return n;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code event} within {@code within}, or null. */
  public JsonNode poll(String event, Duration within) throws InterruptedException {
    return queue(event).poll(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Events of this name received and not yet taken. */
  public List<JsonNode> pending(String event) {
    return List.copyOf(queue(event));
  }

  public void emit(String event, Object payload) {
    socket.emit(event, toJson(payload));
  }

  /** Emits with an ack and waits for it. */
  public JsonNode ask(String event, Object payload) {
    CompletableFuture<JsonNode> ack = new CompletableFuture<>();
    socket.emit(event, new Object[] {toJson(payload)}, (Ack) args -> ack.complete(args.length == 0 ? null : tree(args[0])));
    return ack.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  private static Object toJson(Object payload) {
    if (payload instanceof Map<?, ?> m) {
      try {
        return new JSONObject(TestApp.JSON.writeValueAsString(m));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return payload;
  }

  public void disconnect() {
    socket.disconnect();
  }

  @Override
  public void close() {
    socket.close();
  }
}
