package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CORS headers on handshakes, polling requests, errors and preflights. */
@Timeout(20)
class CorsHeadersTest {
  private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

  private ParleyServer server;
  private TestClient http;

  private void start(CorsOptions cors) throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .engine(EngineOptions.builder().cors(cors).build()).build().start();
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

  private static void assertNoCors(HttpResponse<?> r) {
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void defaultSendsNoCorsHeaders() throws Exception {
    start(CorsOptions.NONE);

    HttpResponse<String> r = http.get(HANDSHAKE, "Origin", "http://a.test");

    assertThat(r.statusCode()).isEqualTo(200);
    assertNoCors(r);
  }

  @Test
  void defaultAnswersAPreflightWithoutCorsHeaders() throws Exception {
    start(CorsOptions.NONE);

    HttpResponse<String> r = http.send("OPTIONS", HANDSHAKE, "Origin", "http://a.test",
        "Access-Control-Request-Method", "POST");

    assertThat(r.statusCode()).isEqualTo(204);
    assertNoCors(r);
  }

  @Test
  void allowedOriginIsEchoedWithCredentials() throws Exception {
    start(CorsOptions.origins("http://a.test").withCredentials(true));

    HttpResponse<String> r = http.get(HANDSHAKE, "Origin", "http://a.test");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("http://a.test");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().allValues("vary")).contains("Origin");
  }

  @Test
  void allowedOriginGetsCorsOnPollingAndErrorResponsesToo() throws Exception {
    start(CorsOptions.origins("http://a.test").withCredentials(true));
    String sid = http.open("/socket.io/");

    HttpResponse<String> post = http.post(TestClient.pollingTarget("/socket.io/", sid), "40", "Origin", "http://a.test");
    HttpResponse<String> get = http.get(TestClient.pollingTarget("/socket.io/", sid), "Origin", "http://a.test");
    HttpResponse<String> error = http.get("/socket.io/?EIO=4&transport=polling&sid=nope", "Origin", "http://a.test");

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("http://a.test");
    assertThat(get.body()).startsWith("40{\"sid\":");
    assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue("http://a.test");
    assertThat(get.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.headers().firstValue("access-control-allow-origin")).hasValue("http://a.test");
  }

  @Test
  void otherOriginsAreIgnored() throws Exception {
    start(CorsOptions.origins("http://a.test").withCredentials(true));

    HttpResponse<String> other = http.get(HANDSHAKE, "Origin", "http://b.test");
    HttpResponse<String> lookalike = http.get(HANDSHAKE, "Origin", "http://a.test.evil");
    HttpResponse<String> none = http.get(HANDSHAKE);

    assertThat(other.statusCode()).isEqualTo(200);
    assertNoCors(other);
    assertNoCors(lookalike);
    assertNoCors(none);
  }

  @Test
  void preflightFromAnAllowedOriginIs204WithMethodsAndHeaders() throws Exception {
    start(CorsOptions.origins("http://a.test").withCredentials(true).withMaxAge(Duration.ofMinutes(10)));

    HttpResponse<String> r = http.send("OPTIONS", HANDSHAKE, "Origin", "http://a.test",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-token");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("http://a.test");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
    assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("content-type,x-token");
    assertThat(r.headers().firstValue("access-control-max-age")).hasValue("600");
  }

  @Test
  void preflightUsesConfiguredMethodsAndHeaders() throws Exception {
    start(CorsOptions.origins("http://a.test").withMethods("GET", "POST").withAllowedHeaders("content-type"));

    HttpResponse<String> r = http.send("OPTIONS", HANDSHAKE, "Origin", "http://a.test",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-other");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
    assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("content-type");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
  }

  @Test
  void preflightFromAnotherOriginGetsNoCorsHeaders() throws Exception {
    start(CorsOptions.origins("http://a.test").withCredentials(true));

    HttpResponse<String> r = http.send("OPTIONS", HANDSHAKE, "Origin", "http://b.test",
        "Access-Control-Request-Method", "POST");

    assertThat(r.statusCode()).isEqualTo(204);
    assertNoCors(r);
  }

  @Test
  void allowAllAnswersStarWithoutCredentials() throws Exception {
    start(CorsOptions.allowAll());

    HttpResponse<String> r = http.get(HANDSHAKE, "Origin", "http://anything.test");
    HttpResponse<String> preflight = http.send("OPTIONS", HANDSHAKE, "Origin", "http://anything.test",
        "Access-Control-Request-Method", "GET");

    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
  }

  @Test
  void allowAllWithCredentialsIsRefusedAtConstruction() {
    assertThatThrownBy(() -> CorsOptions.allowAll().withCredentials(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credentials cannot be allowed for any origin; list the origins");
  }
}
