package io.parley.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket that queues whole messages (String or byte[]) and records its end. */
final class TestWebSocket implements WebSocket.Listener {
  private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  private final StringBuilder text = new StringBuilder();
  private ByteBuffer binary = ByteBuffer.allocate(0);
  /** Completes with the close code, or -1 when the connection broke without a close frame. */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  WebSocket ws;

  static TestWebSocket connect(HttpClient client, String uri) {
    TestWebSocket t = new TestWebSocket();
    t.ws = client.newWebSocketBuilder().connectTimeout(TestHttp.REQUEST_TIMEOUT)
        .buildAsync(URI.create(uri), t).orTimeout(5, TimeUnit.SECONDS).join();
    return t;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      messages.add(text.toString());
      text.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    ByteBuffer grown = ByteBuffer.allocate(binary.remaining() + data.remaining());
    grown.put(binary).put(data).flip();
    binary = grown;
    if (last) {
      byte[] b = new byte[binary.remaining()];
      binary.get(b);
      messages.add(b);
      binary = ByteBuffer.allocate(0);
    }
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

  /** The next message, which must come within 5 s. */
  Object next() throws InterruptedException {
    Object m = messages.poll(5, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 5 s (closed: " + closed.isDone() + ")");
    }
    return m;
  }

  String nextText() throws InterruptedException {
    Object m = next();
    assertThat(m).isInstanceOf(String.class);
    return (String) m;
  }

  /** The next text message that is not an Engine.IO ping. */
  String nextNonPing() throws InterruptedException {
    String m;
    do {
      m = nextText();
    } while ("2".equals(m));
    return m;
  }

  byte[] nextBinary() throws InterruptedException {
    Object m = next();
    assertThat(m).isInstanceOf(byte[].class);
    return (byte[]) m;
  }

  void send(String s) {
    ws.sendText(s, true).orTimeout(5, TimeUnit.SECONDS).join();
  }

  void sendBinary(byte[] b) {
    ws.sendBinary(ByteBuffer.wrap(b), true).orTimeout(5, TimeUnit.SECONDS).join();
  }

  void abort() {
    if (ws != null) {
      ws.abort();
    }
  }
}
