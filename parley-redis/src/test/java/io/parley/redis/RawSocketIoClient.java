package io.parley.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket to {@code /socket.io/}: the test writes the Socket.IO packets the official
 * client writes (it is the official JS client's recovery handshake that the Java client lacks).
 */
final class RawSocketIoClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final WebSocket ws;

  /** Opens the WebSocket, reads the Engine.IO handshake and sends {@code connect} (e.g. {@code 40}). */
  RawSocketIoClient(int port, String connect) throws Exception {
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          texts.add(partial.toString());
          partial.setLength(0);
        }
        w.request(1);
        return null;
      }
    };
    ws = HTTP.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), listener)
        .get(5, TimeUnit.SECONDS);
    String open = next();
    if (!open.startsWith("0{")) {
      throw new AssertionError("not an open packet: " + open);
    }
    ws.sendText(connect, true).get(5, TimeUnit.SECONDS);
  }

  /** The next message but pings, waiting up to 5 s. */
  String next() throws InterruptedException {
    while (true) {
      String m = texts.poll(5, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("nothing received within 5 s");
      }
      if (!m.equals("2")) {
        return m;
      }
      ws.sendText("3", true);
    }
  }

  /** A message received within {@code millis}, or null. */
  String poll(long millis) throws InterruptedException {
    return texts.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The payload of the next message, which must start with {@code prefix} ({@code 40}, {@code 42}). */
  JsonNode next(String prefix) throws Exception {
    String m = next();
    if (!m.startsWith(prefix)) {
      throw new AssertionError("expected " + prefix + "…, got " + m);
    }
    return JSON.readTree(m.substring(prefix.length()));
  }

  /** Drops the TCP connection (the server sees "transport close"). */
  @Override
  public void close() {
    ws.abort();
  }
}
