package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Polling POST/GET on a raw Engine.IO echo endpoint: echo, body size limit, content type. */
@Timeout(20)
class PollingRequestTest {
  private static final String ECHO = "/engine.io/";
  private static final String SMALL = "/small/";

  private ParleyServer server;
  private TestClient http;

  @BeforeEach
  void start() throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .engine(EngineOptions.builder().maxHttpBufferSize(10_000).build())
        .endpoint(EngineOptions.builder().path(ECHO).maxHttpBufferSize(10_000).build(), new EchoHandler())
        .endpoint(EngineOptions.builder().path(SMALL).maxHttpBufferSize(1_000).build(), new EchoHandler())
        .build().start();
    http = TestClient.to(server);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  @Test
  void postIsAnsweredOkAndTheNextGetEchoesIt() throws Exception {
    String sid = http.open(ECHO);

    HttpResponse<String> post = http.post(TestClient.pollingTarget(ECHO, sid), "4hello");
    HttpResponse<String> get = http.get(TestClient.pollingTarget(ECHO, sid));

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");
    assertThat(post.headers().firstValue("content-type")).hasValue("text/html");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("4hello");
    assertThat(get.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(get.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void textAndBase64BinaryComeBackIdentical() throws Exception {
    String sid = http.open(ECHO);

    http.post(TestClient.pollingTarget(ECHO, sid), "4hello\u001ebAQIDBA==");

    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo("4hello\u001ebAQIDBA==");
  }

  @Test
  void severalPacketsAreEchoedInOrderInOneGet() throws Exception {
    String sid = http.open(ECHO);

    http.post(TestClient.pollingTarget(ECHO, sid), "4a\u001e4b\u001e4c");

    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo("4a\u001e4b\u001e4c");
  }

  @Test
  void postOverMaxHttpBufferSizeIs413AndTheSessionSurvives() throws Exception {
    String sid = http.open(ECHO);

    HttpResponse<String> big = http.post(TestClient.pollingTarget(ECHO, sid), "4" + "x".repeat(10_000));

    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(http.post(TestClient.pollingTarget(ECHO, sid), "4after").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo("4after");
  }

  @Test
  void postExactlyAtMaxHttpBufferSizeIsAccepted() throws Exception {
    String sid = http.open(ECHO);
    String body = "4" + "x".repeat(9_999);

    assertThat(http.post(TestClient.pollingTarget(ECHO, sid), body).statusCode()).isEqualTo(200);
    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo(body);
  }

  @Test
  void eachEndpointEnforcesItsOwnLimit() throws Exception {
    String sid = http.open(SMALL);
    assertThat(http.handshake(SMALL).get("maxPayload").asInt()).isEqualTo(1_000);

    HttpResponse<String> big = http.post(TestClient.pollingTarget(SMALL, sid), "4" + "y".repeat(1_500));

    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(http.post(TestClient.pollingTarget(SMALL, sid), "4small").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget(SMALL, sid)).body()).isEqualTo("4small");
  }

  @Test
  void postWithOctetStreamContentTypeIs400() throws Exception {
    String sid = http.open(ECHO);

    HttpResponse<String> r = http.post(TestClient.pollingTarget(ECHO, sid), "4hello",
        "Content-Type", "application/octet-stream");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
  }

  @Test
  void utf8TextSurvivesPolling() throws Exception {
    String sid = http.open(ECHO);

    http.post(TestClient.pollingTarget(ECHO, sid), "4héllo ✓ \uD83D\uDE00", "Content-Type", "text/plain;charset=UTF-8");

    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo("4héllo ✓ \uD83D\uDE00");
  }

  @Test
  void closePacketByPostEndsTheSession() throws Exception {
    String sid = http.open(ECHO);

    assertThat(http.post(TestClient.pollingTarget(ECHO, sid), "1").body()).isEqualTo("ok");

    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).body()).isEqualTo("6");
    assertThat(http.get(TestClient.pollingTarget(ECHO, sid)).statusCode()).isEqualTo(400);
  }
}
