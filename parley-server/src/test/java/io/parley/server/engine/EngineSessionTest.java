package io.parley.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.protocol.EncodedPacket;
import io.parley.server.DisconnectReason;
import io.parley.server.ServerMetrics;
import io.parley.server.testkit.ManualExecutor;
import io.parley.server.testkit.TestExchange;
import io.parley.server.testkit.TestRequest;
import io.parley.server.testkit.TestWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Engine.IO session state machine with no socket and no sleep: requests are handed to the
 * {@link Engine} as a binding would, WebSockets are in memory, and time is virtual.
 */
@Timeout(10)
class EngineSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/engine.io/?EIO=4&transport=";

  private final ManualExecutor loop = new ManualExecutor();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<EngineConnection> connections = new ArrayList<>();
  private final Engine engine = engine(EngineOptions.builder().path("/engine.io/")
      .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
      .upgradeTimeout(Duration.ofMillis(500)).maxBufferedBytes(1_000).build());

  private Engine engine(EngineOptions options) {
    return new Engine(options, conn -> {
      connections.add(conn);
      return new EngineListener() {
        @Override
        public void onText(String data) {
          events.add("text " + data);
        }

        @Override
        public void onBinary(byte[] data) {
          events.add("binary " + data.length);
        }

        @Override
        public void onUpgrade(String transport) {
          events.add("upgrade " + transport);
        }

        @Override
        public void onClose(DisconnectReason reason) {
          events.add("close " + reason.text());
        }
      };
    }, () -> ServerMetrics.NONE);
  }

  private TestExchange send(TestRequest req) {
    TestExchange ex = new TestExchange(loop);
    engine.handle(req, ex);
    loop.runPending();
    return ex;
  }

  private String handshake() throws Exception {
    TestExchange ex = send(TestRequest.get(PATH + "polling"));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.body()).startsWith("0");
    return JSON.readTree(ex.body().substring(1)).get("sid").asText();
  }

  private TestExchange poll(String sid) {
    return send(TestRequest.get(PATH + "polling&sid=" + sid));
  }

  private TestExchange post(String sid, String body) {
    return send(TestRequest.post(PATH + "polling&sid=" + sid, body));
  }

  private static EncodedPacket message(String text) {
    return new EncodedPacket(("4" + text).getBytes(StandardCharsets.UTF_8), List.of());
  }

  @Test
  void aPollingHandshakeAnswersTheOpenPacketWithTheEndpointsTimings() throws Exception {
    TestExchange ex = send(TestRequest.get(PATH + "polling"));
    JsonNode open = JSON.readTree(ex.body().substring(1));
    assertThat(open.get("upgrades").get(0).asText()).isEqualTo("websocket");
    assertThat(open.get("pingInterval").asInt()).isEqualTo(300);
    assertThat(open.get("pingTimeout").asInt()).isEqualTo(200);
    assertThat(open.get("maxPayload").asInt()).isEqualTo(1_000_000);
    assertThat(ex.response().header("Cache-Control")).isEqualTo("no-store");
    assertThat(engine.sessionCount()).isEqualTo(1);
    assertThat(connections).hasSize(1);
  }

  @Test
  void requestErrorsCarryTheReferencesCodes() {
    assertThat(send(TestRequest.get("/engine.io/?EIO=3&transport=polling")).body())
        .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    assertThat(send(TestRequest.get(PATH + "carrier-pigeon")).body())
        .isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
    assertThat(send(TestRequest.get(PATH + "polling&sid=nope")).body())
        .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertThat(send(TestRequest.post(PATH + "polling", "x")).body())
        .isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
    assertThat(send(TestRequest.get(PATH + "websocket")).body())
        .isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
  }

  @Test
  void aParkedPollGetsWhatIsSentAndAPostIsDelivered() throws Exception {
    String sid = handshake();
    TestExchange get = poll(sid);
    assertThat(get.answered()).isFalse();
    connections.get(0).send(message("hello"), false);
    assertThat(get.body()).isEqualTo("4hello");
    TestExchange post = post(sid, "4one\u001e4two");
    assertThat(post.body()).isEqualTo("ok");
    assertThat(events).containsExactly("text one", "text two");
  }

  @Test
  void theServerPingsEveryIntervalAndAPongKeepsTheSessionAlive() throws Exception {
    String sid = handshake();
    TestExchange get = poll(sid);
    loop.advance(Duration.ofMillis(299));
    assertThat(get.answered()).isFalse();
    loop.advance(Duration.ofMillis(1));
    assertThat(get.body()).isEqualTo("2");
    post(sid, "3");
    loop.advance(Duration.ofMillis(250)); // past pingTimeout since the ping: the pong counted
    assertThat(events).doesNotContain("close ping timeout");
    assertThat(engine.sessionCount()).isEqualTo(1);
  }

  @Test
  void noPongWithinPingTimeoutClosesWithPingTimeout() throws Exception {
    String sid = handshake();
    poll(sid);
    loop.advance(Duration.ofMillis(300 + 199));
    assertThat(events).isEmpty();
    loop.advance(Duration.ofMillis(1));
    assertThat(events).containsExactly("close ping timeout");
    assertThat(engine.sessionCount()).isZero();
    assertThat(poll(sid).body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertThat(loop.scheduledTimers()).isZero();
  }

  @Test
  void aSecondConcurrentPollIsABadRequestAndEndsTheSession() throws Exception {
    String sid = handshake();
    TestExchange first = poll(sid);
    TestExchange second = poll(sid);
    assertThat(second.status()).isEqualTo(400);
    assertThat(first.body()).isEqualTo("1"); // the parked poll is told the session closed
    assertThat(events).containsExactly("close transport error");
  }

  @Test
  void aParkedPollWhoseConnectionDropsEndsTheSessionWithTransportError() throws Exception {
    String sid = handshake();
    TestExchange get = poll(sid);
    get.dropConnection();
    loop.runPending();
    assertThat(events).containsExactly("close transport error");
    assertThat(engine.sessionCount()).isZero();
  }

  @Test
  void aMalformedPayloadIsABadRequestAndAParseError() throws Exception {
    String sid = handshake();
    TestExchange post = post(sid, "\u001e\u001e");
    assertThat(post.status()).isEqualTo(400);
    assertThat(events).containsExactly("close parse error");
  }

  @Test
  void aPollingClientThatNeverPollsIsClosedAsASlowClientPastMaxBufferedBytes() throws Exception {
    handshake();
    EngineConnection conn = connections.get(0);
    for (int i = 0; i < 9; i++) {
      conn.send(message("x".repeat(99)), false); // 100 bytes each: 900 queued
    }
    assertThat(events).isEmpty();
    conn.send(message("x".repeat(199)), false);
    assertThat(events).containsExactly("close slow client");
  }

  @Test
  void aVolatilePacketIsDroppedWhenNoPollIsWaiting() throws Exception {
    String sid = handshake();
    connections.get(0).send(message("dropped"), true);
    connections.get(0).send(message("kept"), false);
    assertThat(poll(sid).body()).isEqualTo("4kept");
  }

  @Test
  void aServerCloseHandsQueuedPacketsToTheNextPollAndTheClosePacketToTheOneAfter() throws Exception {
    String sid = handshake();
    EngineConnection conn = connections.get(0);
    conn.send(message("last words"), false);
    conn.close();
    assertThat(events).containsExactly("close forced close");
    assertThat(poll(sid).body()).isEqualTo("4last words");
    assertThat(poll(sid).body()).isEqualTo("1");
    assertThat(engine.sessionCount()).isZero();
  }

  @Test
  void aWebSocketHandshakeSendsTheOpenPacketFirstAndCarriesMessagesBothWays() throws Exception {
    TestExchange ex = send(TestRequest.websocket(PATH + "websocket"));
    TestWebSocket ws = ex.webSocket();
    List<Object> first = ws.take();
    assertThat(first).hasSize(1);
    JsonNode open = JSON.readTree(((String) first.get(0)).substring(1));
    assertThat(open.get("upgrades")).isEmpty();
    ws.clientText("4hi");
    ws.clientBinary(new byte[] {1, 2, 3});
    assertThat(events).containsExactly("text hi", "binary 3");
    connections.get(0).send(new EncodedPacket("4back".getBytes(StandardCharsets.UTF_8), List.of(new byte[] {9})), false);
    assertThat(ws.take()).hasSize(2).first().isEqualTo("4back");
    assertThat(connections.get(0).transport()).isEqualTo("websocket");
  }

  @Test
  void aWebSocketThatClosesEndsTheSessionWithTransportClose() {
    TestWebSocket ws = send(TestRequest.websocket(PATH + "websocket")).webSocket();
    ws.clientClose();
    loop.runPending();
    assertThat(events).containsExactly("close transport close");
    assertThat(engine.sessionCount()).isZero();
  }

  @Test
  void aWebSocketReaderTooSlowIsClosedAsASlowClient() {
    TestWebSocket ws = send(TestRequest.websocket(PATH + "websocket")).webSocket();
    ws.stall(1_001);
    connections.get(0).send(message("x"), false);
    assertThat(events).containsExactly("close slow client");
    assertThat(ws.closeStatus()).isEqualTo(1000);
  }

  @Test
  void theUpgradeProbesPausesPollingAndSwitchesWithTheQueuedPackets() throws Exception {
    String sid = handshake();
    TestExchange get = poll(sid);
    TestWebSocket ws = send(TestRequest.websocket(PATH + "websocket&sid=" + sid)).webSocket();
    ws.clientText("2probe");
    assertThat(ws.take()).containsExactly("3probe");
    assertThat(get.body()).isEqualTo("6"); // the parked poll is released with a noop
    connections.get(0).send(message("queued while switching"), false);
    ws.clientText("5");
    assertThat(ws.take()).containsExactly("4queued while switching");
    assertThat(events).containsExactly("upgrade websocket");
    assertThat(connections.get(0).transport()).isEqualTo("websocket");
    assertThat(poll(sid).status()).isEqualTo(400); // polling is over for this session
  }

  @Test
  void anUpgradeThatNeverCompletesTimesOutAndPollingGoesOn() throws Exception {
    String sid = handshake();
    TestWebSocket ws = send(TestRequest.websocket(PATH + "websocket&sid=" + sid)).webSocket();
    ws.clientText("2probe");
    loop.advance(Duration.ofMillis(499));
    assertThat(ws.terminated()).isFalse();
    post(sid, "3"); // keep the heartbeat happy meanwhile
    loop.advance(Duration.ofMillis(1));
    assertThat(ws.terminated()).isTrue();
    assertThat(connections.get(0).transport()).isEqualTo("polling");
    assertThat(poll(sid).body()).isEqualTo("2"); // the ping queued at 300 ms
    TestExchange get = poll(sid);
    connections.get(0).send(message("still polling"), false);
    assertThat(get.body()).isEqualTo("4still polling");
  }

  @Test
  void aSecondProbeWhileOneIsInProgressIsTerminated() throws Exception {
    String sid = handshake();
    TestWebSocket first = send(TestRequest.websocket(PATH + "websocket&sid=" + sid)).webSocket();
    TestWebSocket second = send(TestRequest.websocket(PATH + "websocket&sid=" + sid)).webSocket();
    assertThat(first.terminated()).isFalse();
    assertThat(second.terminated()).isTrue();
  }

  @Test
  void aServerCloseDuringTheUpgradeStillDeliversOverTheNewWebSocket() throws Exception {
    String sid = handshake();
    TestWebSocket ws = send(TestRequest.websocket(PATH + "websocket&sid=" + sid)).webSocket();
    ws.clientText("2probe");
    ws.take();
    connections.get(0).send(message("before close"), false);
    connections.get(0).close();
    ws.clientText("5");
    assertThat(ws.take()).containsExactly("4before close", "1");
    assertThat(ws.closeStatus()).isEqualTo(1000);
    assertThat(engine.sessionCount()).isZero();
  }

  @Test
  void aRefusedHandshakeIs403WithTheReason() {
    Engine strict = engine(EngineOptions.builder().path("/engine.io/")
        .allowRequest(r -> r.query().containsKey("token") ? null : "token required").build());
    TestExchange ex = new TestExchange(loop);
    strict.handle(TestRequest.get(PATH + "polling"), ex);
    assertThat(ex.status()).isEqualTo(403);
    assertThat(ex.body()).isEqualTo("{\"code\":4,\"message\":\"token required\"}");
    assertThat(strict.sessionCount()).isZero();
  }

  @Test
  void anOversizedPostIs413AndTheSessionLivesOn() throws Exception {
    String sid = handshake();
    TestExchange post = send(TestRequest.post(PATH + "polling&sid=" + sid, "4" + "x".repeat(1_000_000)));
    assertThat(post.status()).isEqualTo(413);
    assertThat(engine.sessionCount()).isEqualTo(1);
  }
}
