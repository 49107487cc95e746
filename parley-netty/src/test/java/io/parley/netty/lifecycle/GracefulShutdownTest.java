package io.parley.netty.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ParleyServer;
import io.parley.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close()} lets running handlers finish and deliver their acks, then closes connections
 * without a DISCONNECT packet so clients reconnect elsewhere, all within {@code shutdownTimeout}.
 */
@Timeout(30)
class GracefulShutdownTest {

  @Test
  void aHandlerRunningAtShutdownFinishesAndItsAckArrivesBeforeTheConnectionCloses() throws Exception {
    ParleyServer server = ParleyServer.builder().host("127.0.0.1").port(0)
        .server(ServerOptions.builder().shutdownTimeout(Duration.ofSeconds(5)).build()).build();
    CountDownLatch started = new CountDownLatch(1);
    server.io().onConnection(s -> s.on("save", (args, ack) -> {
      started.countDown();
      Thread.sleep(500); // a database write
      ack.send("saved");
    }));
    server.start();

    List<String> frames = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    CompletableFuture<Void> connected = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                String f = data.toString();
                frames.add(f);
                if (f.startsWith("40{")) {
                  connected.complete(null);
                }
                w.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(null);
                return null;
              }

              @Override
              public void onError(WebSocket w, Throwable error) {
                closed.complete(null);
              }
            }).get(5, TimeUnit.SECONDS);
    ws.sendText("40", true).join();
    connected.get(5, TimeUnit.SECONDS);
    ws.sendText("421[\"save\",{\"text\":\"hello\"}]", true).join();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    long t0 = System.nanoTime();
    server.close();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    closed.get(5, TimeUnit.SECONDS);
    assertThat(frames).contains("431[\"saved\"]");
    assertThat(frames).noneMatch(f -> f.startsWith("41")); // no DISCONNECT: the client will reconnect
    assertThat(tookMs).isLessThan(5_000);
    assertThat(server.io().isClosing()).isTrue();
  }
}
