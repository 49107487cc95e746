package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.server.Args;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input closes the offending session only; another session on the same server keeps working. */
@Timeout(30)
class MalformedInputIsolationTest {
  private static final String ECHO = "/engine.io/";
  private static final String SIO = "/socket.io/";

  private ParleyServer server;
  private TestClient http;

  @BeforeEach
  void start() throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .endpoint(EngineOptions.builder().path(ECHO).build(), new EchoHandler())
        .build();
    server.io().onConnection(socket ->
        socket.on("message", (Args args, io.parley.server.Ack ack) -> socket.emit("message-back", args.toArray())));
    server.start();
    http = TestClient.to(server);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private String ws(String path) {
    return "ws://127.0.0.1:" + server.port() + path + "?EIO=4&transport=websocket";
  }

  @Test
  void garbagePostedByPollingClosesOnlyThatSession() throws Exception {
    String bad = http.open(ECHO);
    String good = http.open(ECHO);

    HttpResponse<String> r = http.post(TestClient.pollingTarget(ECHO, bad), "abc");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
    assertThat(http.get(TestClient.pollingTarget(ECHO, bad)).body())
        .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertThat(http.post(TestClient.pollingTarget(ECHO, good), "4still here").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget(ECHO, good)).body()).isEqualTo("4still here");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "7", "0{}", "5", "2"})
  void garbageTextFrameClosesOnlyThatWebSocket(String frame) throws Exception {
    TestClient.Ws bad = http.upgrade(ECHO + "?EIO=4&transport=websocket", null);
    TestClient.Ws good = http.upgrade(ECHO + "?EIO=4&transport=websocket", null);
    try {
      assertThat(bad.nextText()).startsWith("0{");
      assertThat(good.nextText()).startsWith("0{");

      bad.send(frame);

      await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
      good.send("4still here");
      assertThat(good.nextText()).isEqualTo("4still here");
      good.sendBinary(new byte[] {1, 2, 3});
      assertThat(good.nextBinary()).containsExactly(1, 2, 3);
    } finally {
      bad.close();
      good.close();
    }
  }

  private TestClient.Ws connectSocketIo() throws Exception {
    TestClient.Ws ws = http.upgrade(SIO + "?EIO=4&transport=websocket", null);
    assertThat(ws.nextText()).startsWith("0{");
    ws.send("40");
    assertThat(ws.nextNonPing()).startsWith("40{\"sid\":");
    return ws;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4abc",
      "42{}",
      "42abc[\"message\"]",
      "42[\"message\"]trailing",
      "42[\"disconnect\"]",
      "43",
      "40/nope,[]",
      "4511-[\"message\"]"})
  void invalidSocketIoPacketClosesOnlyThatConnection(String packet) throws Exception {
    TestClient.Ws bad = connectSocketIo();
    TestClient.Ws good = connectSocketIo();
    try {
      assertThat(server.sessionCount()).isEqualTo(2);

      bad.send(packet);

      await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionCount() == 1);
      good.send("42[\"message\",1,\"2\",{\"3\":[true]}]");
      assertThat(good.nextNonPing()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    } finally {
      bad.close();
      good.close();
    }
  }

  @Test
  void textWhileWaitingForAnAttachmentClosesOnlyThatConnection() throws Exception {
    TestClient.Ws bad = connectSocketIo();
    TestClient.Ws good = connectSocketIo();
    try {
      bad.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
      bad.send("42[\"message\",\"not the attachment\"]");

      await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
      good.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
      good.sendBinary(new byte[] {9, 8, 7});
      assertThat(good.nextNonPing()).isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]");
      assertThat(good.nextBinary()).containsExactly(9, 8, 7);
    } finally {
      bad.close();
      good.close();
    }
  }

  @Test
  void invalidSocketIoPacketByPollingClosesOnlyThatSession() throws Exception {
    String bad = http.open(SIO);
    String good = http.open(SIO);
    http.post(TestClient.pollingTarget(SIO, bad), "40");
    http.post(TestClient.pollingTarget(SIO, good), "40");
    assertThat(http.get(TestClient.pollingTarget(SIO, bad)).body()).startsWith("40{\"sid\":");
    assertThat(http.get(TestClient.pollingTarget(SIO, good)).body()).startsWith("40{\"sid\":");

    http.post(TestClient.pollingTarget(SIO, bad), "4abc");

    assertThat(http.get(TestClient.pollingTarget(SIO, bad)).body()).endsWith("1");
    assertThat(http.get(TestClient.pollingTarget(SIO, bad)).statusCode()).isEqualTo(400);
    assertThat(server.sessionCount()).isEqualTo(1);
    http.post(TestClient.pollingTarget(SIO, good), "42[\"message\",\"still here\"]");
    assertThat(http.get(TestClient.pollingTarget(SIO, good)).body()).isEqualTo("42[\"message-back\",\"still here\"]");
  }
}
