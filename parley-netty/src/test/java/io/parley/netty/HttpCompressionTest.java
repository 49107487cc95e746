package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gzip on polling responses over 1 kB when the client accepts it. */
@Timeout(20)
class HttpCompressionTest {
  private static final String ECHO = "/engine.io/";

  private ParleyServer server;
  private TestClient http;

  private void start(boolean compression) throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0).httpCompression(compression)
        .endpoint(EngineOptions.builder().path(ECHO).build(), new EchoHandler())
        .build().start();
    http = TestClient.to(server);
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String bigMessage() {
    StringBuilder sb = new StringBuilder("4");
    for (int i = 0; sb.length() < 2_048; i++) {
      sb.append("message ").append(i).append(' ');
    }
    return sb.toString();
  }

  private static String gunzip(byte[] body) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void bigPollingResponseIsGzipped() throws Exception {
    start(true);
    String sid = http.open(ECHO);
    String message = bigMessage();
    assertThat(http.post(TestClient.pollingTarget(ECHO, sid), message).body()).isEqualTo("ok");

    HttpResponse<byte[]> r = http.getBytes(TestClient.pollingTarget(ECHO, sid), "Accept-Encoding", "gzip");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(r.body().length).isLessThan(message.length());
    assertThat(gunzip(r.body())).isEqualTo(message);
  }

  @Test
  void smallResponsesAreNotCompressed() throws Exception {
    start(true);
    String sid = http.open(ECHO);
    http.post(TestClient.pollingTarget(ECHO, sid), "4hello");

    HttpResponse<byte[]> handshake = http.getBytes("/engine.io/?EIO=4&transport=polling", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> get = http.getBytes(TestClient.pollingTarget(ECHO, sid), "Accept-Encoding", "gzip");

    assertThat(handshake.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(handshake.body(), StandardCharsets.UTF_8)).startsWith("0{\"sid\":");
    assertThat(get.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("4hello");
  }

  @Test
  void clientThatDoesNotAcceptGzipGetsPlainText() throws Exception {
    start(true);
    String sid = http.open(ECHO);
    String message = bigMessage();
    http.post(TestClient.pollingTarget(ECHO, sid), message);

    HttpResponse<String> r = http.get(TestClient.pollingTarget(ECHO, sid));

    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(r.body()).isEqualTo(message);
  }

  @Test
  void compressionCanBeTurnedOff() throws Exception {
    start(false);
    String sid = http.open(ECHO);
    String message = bigMessage();
    http.post(TestClient.pollingTarget(ECHO, sid), message);

    HttpResponse<byte[]> r = http.getBytes(TestClient.pollingTarget(ECHO, sid), "Accept-Encoding", "gzip");

    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(message);
  }
}
