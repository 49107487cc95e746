package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The open packet: exactly the five keys the conformance suite checks, over polling and WebSocket. */
@Timeout(20)
class EngineHandshakeTest {
  private static final Pattern OPEN = Pattern.compile(
      "0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[(\"websocket\")?],\"pingInterval\":\\d+,"
          + "\"pingTimeout\":\\d+,\"maxPayload\":\\d+}");

  private ParleyServer server;
  private TestClient http;

  private void start(ParleyServer.Builder b) throws InterruptedException {
    server = b.host("127.0.0.1").port(0).build().start();
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

  private static Set<String> keys(JsonNode n) {
    Set<String> keys = new HashSet<>();
    n.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void pollingHandshakeHasExactlyFiveKeysWithTheDefaultValues() throws Exception {
    start(ParleyServer.builder());

    HttpResponse<String> r = http.get("/socket.io/?EIO=4&transport=polling");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).matches(OPEN);
    JsonNode open = TestClient.JSON.readTree(r.body().substring(1));
    assertThat(keys(open)).containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
    assertThat(open.get("sid").isTextual()).isTrue();
    assertThat(open.get("upgrades")).isEqualTo(TestClient.JSON.readTree("[\"websocket\"]"));
    assertThat(open.get("pingInterval").asLong()).isEqualTo(25_000);
    assertThat(open.get("pingTimeout").asLong()).isEqualTo(20_000);
    assertThat(open.get("maxPayload").asLong()).isEqualTo(1_000_000);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void handshakeAdvertisesTheConfiguredTimingsAndLimit() throws Exception {
    EngineOptions engine = EngineOptions.builder()
        .pingInterval(Duration.ofMillis(12_345)).pingTimeout(Duration.ofMillis(6_789)).maxHttpBufferSize(4_321).build();
    start(ParleyServer.builder().engine(engine));

    String body = http.get("/socket.io/?EIO=4&transport=polling").body();

    assertThat(body).matches(OPEN);
    assertThat(body).endsWith(",\"upgrades\":[\"websocket\"],\"pingInterval\":12345,\"pingTimeout\":6789,"
        + "\"maxPayload\":4321}");
  }

  @Test
  void everyHandshakeGetsADifferentSid() throws Exception {
    start(ParleyServer.builder());

    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sids.add(http.open("/socket.io/"));
    }

    assertThat(sids).doesNotHaveDuplicates();
    assertThat(server.sessionCount()).isEqualTo(5);
  }

  @Test
  void sidIsAlsoAcceptedWithCacheBusterAndUnknownParameters() throws Exception {
    start(ParleyServer.builder());

    HttpResponse<String> r = http.get("/socket.io/?EIO=4&transport=polling&t=NxYz1&foo=bar");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).matches(OPEN);
  }

  @Test
  void noUpgradesWhenUpgradesAreDisabledOrWebSocketIsNotOffered() throws Exception {
    start(ParleyServer.builder()
        .engine(EngineOptions.builder().allowUpgrades(false).build())
        .endpoint(EngineOptions.builder().path("/polling-only/").transports("polling").build(), new EchoHandler()));

    assertThat(http.handshake("/socket.io/").get("upgrades").isEmpty()).isTrue();
    assertThat(http.handshake("/polling-only/").get("upgrades").isEmpty()).isTrue();
  }

  @Test
  void webSocketHandshakeHasNoUpgrades() throws Exception {
    start(ParleyServer.builder()
        .endpoint(EngineOptions.builder().path("/engine.io/").build(), new EchoHandler()));
    TestClient.Ws ws = http.upgrade("/engine.io/?EIO=4&transport=websocket", null);
    try {
      String open = ws.nextText();

      assertThat(open).matches(OPEN);
      assertThat(open).contains("\"upgrades\":[],");
      assertThat(keys(TestClient.JSON.readTree(open.substring(1))))
          .containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");

      ws.send("4hello");
      assertThat(ws.nextText()).isEqualTo("4hello");
    } finally {
      ws.close();
    }
  }

  @Test
  void socketIoWebSocketHandshakeThenConnect() throws Exception {
    start(ParleyServer.builder());
    TestClient.Ws ws = http.upgrade("/socket.io/?EIO=4&transport=websocket", null);
    try {
      assertThat(ws.nextText()).matches(OPEN).contains("\"upgrades\":[]");

      ws.send("40");

      assertThat(ws.nextNonPing()).matches("40\\{\"sid\":\"[^\"]+\"}");
      assertThat(server.sessionCount()).isEqualTo(1);
    } finally {
      ws.close();
    }
  }
}
