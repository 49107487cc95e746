package io.parley.netty.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ParleyServer;
import io.parley.server.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server closes a polling session (disconnect(true)) while the client is upgrading it: the
 * client has paused polling, so the queued DISCONNECT and the close packet must reach it over the
 * WebSocket once it completes the upgrade.
 */
@Timeout(20)
class CloseDuringUpgradeTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private ParleyServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private String poll(String base, String sid) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private void post(String base, String sid, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void packetsQueuedWhenTheServerClosesGoOverTheWebSocketThatCompletesTheUpgrade() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0).build();
    CompletableFuture<Socket> connected = new CompletableFuture<>();
    server.io().onConnection(connected::complete);
    server.start();
    String base = "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling";

    String open = http.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf('"', open.indexOf("\"sid\":\"") + 7));
    post(base, sid, "40");
    assertThat(poll(base, sid)).startsWith("40{\"sid\"");
    Socket socket = connected.get(5, TimeUnit.SECONDS);

    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket&sid=" + sid),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            frames.add(data.toString());
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(null);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    ws.sendText("2probe", true).join();
    assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo("3probe");

    // The client has paused polling; the server disconnects the socket and closes the connection.
    socket.disconnect(true);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !socket.connected());

    ws.sendText("5", true).join();
    assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo("41");
    assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo("1");
    closed.get(5, TimeUnit.SECONDS);
    assertThat(List.copyOf(frames)).isEmpty();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> server.sessionCount() == 0);
  }
}
