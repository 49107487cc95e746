package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference's error statuses and {@code {"code":N,"message":"..."}} bodies. */
@Timeout(20)
class EngineRequestErrorTest {
  private static final String BAD_VERSION = "{\"code\":5,\"message\":\"Unsupported protocol version\"}";
  private static final String UNKNOWN_TRANSPORT = "{\"code\":0,\"message\":\"Transport unknown\"}";
  private static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";
  private static final String BAD_METHOD = "{\"code\":2,\"message\":\"Bad handshake method\"}";
  private static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";

  private ParleyServer server;
  private TestClient http;

  @BeforeEach
  void start() throws InterruptedException {
    EngineOptions guarded = EngineOptions.builder().path("/guarded/").allowRequest(r -> {
      String token = r.query().get("token");
      if (token == null) {
        return "Token required";
      }
      if (token.equals("quote")) {
        return "say \"no\" \\ twice";
      }
      if (token.equals("control")) {
        return "line one\nline\ttwo\u0001";
      }
      if (token.equals("throw")) {
        throw new IllegalStateException("checker blew up");
      }
      return null;
    }).build();
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .endpoint(EngineOptions.builder().path("/engine.io/").build(), new EchoHandler())
        .endpoint(guarded, new EchoHandler())
        .build().start();
    http = TestClient.to(server);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private static void assertError(HttpResponse<String> r, int status, String body) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"?transport=polling", "?EIO=3&transport=polling", "?EIO=5&transport=polling",
      "?EIO=&transport=polling", "?EIO=four&transport=polling", ""})
  void missingOrUnsupportedEioIsCode5(String query) throws Exception {
    assertError(http.get("/engine.io/" + query), 400, BAD_VERSION);
  }

  @Test
  void badEioWinsOverEverythingElse() throws Exception {
    assertError(http.get("/engine.io/?EIO=3&transport=carrier-pigeon&sid=nope"), 400, BAD_VERSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"?EIO=4", "?EIO=4&transport=", "?EIO=4&transport=flashsocket", "?EIO=4&transport=POLLING"})
  void missingOrUnknownTransportIsCode0(String query) throws Exception {
    assertError(http.get("/engine.io/" + query), 400, UNKNOWN_TRANSPORT);
  }

  @Test
  void transportNotOfferedByTheEndpointIsCode0() throws Exception {
    server.close();
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .engine(EngineOptions.builder().transports("websocket").build()).build().start();
    http.close();
    http = TestClient.to(server);

    assertError(http.get("/socket.io/?EIO=4&transport=polling"), 400, UNKNOWN_TRANSPORT);
  }

  @Test
  void unknownSidIsCode1ForGetAndPost() throws Exception {
    assertError(http.get("/engine.io/?EIO=4&transport=polling&sid=doesnotexist"), 400, UNKNOWN_SID);
    assertError(http.post("/engine.io/?EIO=4&transport=polling&sid=doesnotexist", "4hello"), 400, UNKNOWN_SID);
  }

  @Test
  void handshakeByPostIsCode2() throws Exception {
    assertError(http.post("/engine.io/?EIO=4&transport=polling", "4hello"), 400, BAD_METHOD);
  }

  @Test
  void handshakeByPutIsCode2() throws Exception {
    assertError(http.send("PUT", "/engine.io/?EIO=4&transport=polling"), 400, BAD_METHOD);
  }

  @Test
  void websocketTransportWithoutAnUpgradeIsCode3() throws Exception {
    assertError(http.get("/engine.io/?EIO=4&transport=websocket"), 400, BAD_REQUEST);
  }

  @Test
  void unsupportedMethodOnASessionIsCode3AndTheSessionSurvives() throws Exception {
    String sid = http.open("/engine.io/");

    assertError(http.send("PUT", TestClient.pollingTarget("/engine.io/", sid)), 400, BAD_REQUEST);
    assertError(http.send("DELETE", TestClient.pollingTarget("/engine.io/", sid)), 400, BAD_REQUEST);

    assertThat(http.post(TestClient.pollingTarget("/engine.io/", sid), "4still here").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget("/engine.io/", sid)).body()).isEqualTo("4still here");
  }

  @Test
  void sidOfAnotherEndpointIsUnknown() throws Exception {
    String sid = http.open("/engine.io/");

    assertError(http.get(TestClient.pollingTarget("/socket.io/", sid)), 400, UNKNOWN_SID);
  }

  @Test
  void refusedHandshakeIs403WithTheRefusalAsMessage() throws Exception {
    assertError(http.get("/guarded/?EIO=4&transport=polling"), 403, "{\"code\":4,\"message\":\"Token required\"}");
    assertThat(http.get("/guarded/?EIO=4&transport=polling&token=ok").statusCode()).isEqualTo(200);
  }

  @Test
  void refusalThrownByTheCheckIs403WithTheExceptionMessage() throws Exception {
    assertError(http.get("/guarded/?EIO=4&transport=polling&token=throw"), 403,
        "{\"code\":4,\"message\":\"checker blew up\"}");
  }

  @Test
  void refusalMessageIsEscapedAsJson() throws Exception {
    HttpResponse<String> quote = http.get("/guarded/?EIO=4&transport=polling&token=quote");
    HttpResponse<String> control = http.get("/guarded/?EIO=4&transport=polling&token=control");

    assertThat(quote.statusCode()).isEqualTo(403);
    JsonNode q = TestClient.JSON.readTree(quote.body());
    assertThat(q.get("code").asInt()).isEqualTo(4);
    assertThat(q.get("message").textValue()).isEqualTo("say \"no\" \\ twice");
    assertThat(control.statusCode()).isEqualTo(403);
    JsonNode c = TestClient.JSON.readTree(control.body());
    assertThat(c.get("message").textValue()).isEqualTo("line one\nline\ttwo\u0001");
  }

  @Test
  void refusedWebSocketHandshakeGets403BeforeTheUpgrade() {
    try (TestClient.Ws ws = http.upgrade("/guarded/?EIO=4&transport=websocket", null)) {
      assertThat(ws.status()).isEqualTo(403);
    }
  }

  @Test
  void webSocketWithABadEioIsRefusedBeforeTheUpgrade() {
    try (TestClient.Ws ws = http.upgrade("/engine.io/?EIO=3&transport=websocket", null)) {
      assertThat(ws.status()).isEqualTo(400);
    }
  }

  @Test
  void pathOutsideTheEndpointsIs404() throws Exception {
    assertThat(http.get("/elsewhere/?EIO=4&transport=polling").statusCode()).isEqualTo(404);
  }
}
