package io.parley.netty.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare Socket.IO client over java.net.http's WebSocket, for what the official clients never do:
 * stop reading, send malformed or abusive packets. Text frames received are queued; with
 * {@code reading == false} it reads nothing after the handshake, so TCP backs up.
 */
final class RawSocketIo implements WebSocket.Listener, AutoCloseable {
  final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final boolean reading;
  private final StringBuilder partial = new StringBuilder();
  private WebSocket ws;

  private RawSocketIo(boolean reading) {
    this.reading = reading;
  }

  /** Opens a WebSocket Engine.IO session and joins "/" (waits for the CONNECT reply when reading). */
  static RawSocketIo connect(int port, boolean reading) throws Exception {
    RawSocketIo c = new RawSocketIo(reading);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), c)
        .get(5, TimeUnit.SECONDS);
    c.send("40");
    if (reading) {
      c.awaitFrame(f -> f.startsWith("40{"));
    }
    return c;
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  String awaitFrame(java.util.function.Predicate<String> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      String f = frames.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && p.test(f)) {
        return f;
      }
    }
    throw new AssertionError("no matching frame within 5 s; closed=" + closed.isDone());
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(reading ? Long.MAX_VALUE : 2); // the open packet and the CONNECT reply, then nothing
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String f = partial.toString();
      partial.setLength(0);
      if ("2".equals(f) && reading) {
        webSocket.sendText("3", true);
      }
      frames.add(f);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
