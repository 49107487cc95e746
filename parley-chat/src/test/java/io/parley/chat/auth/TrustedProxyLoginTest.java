package io.parley.chat.auth;

import static io.parley.chat.testkit.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application behind a trusted proxy (loopback 127.0.0.1 here): the login throttle and the
 * socket's handshake address see the forwarded client address; an untrusted peer (127.0.0.2)
 * cannot shake off the throttle by forging X-Forwarded-For.
 */
@Timeout(60)
class TrustedProxyLoginTest {
  /** Failed logins from one address before 429 (AuthRoutes' LoginThrottle). */
  private static final int PER_ADDRESS = 20;

  private static HttpClient from(String local) throws Exception {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).localAddress(InetAddress.getByName(local)).build();
  }

  /** A failed login (a fresh unknown user each time, so only the per-address limit can trip). */
  private static int failedLogin(TestApp app, HttpClient client, String xff, int n) throws Exception {
    String body = TestApp.JSON.writeValueAsString(Map.of("username", "nobody-" + n + "-" + System.nanoTime(),
        "password", "wrong-password"));
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(app.url() + "/api/login")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (xff != null) {
      r.header("X-Forwarded-For", xff);
    }
    HttpResponse<String> resp = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() == 429) {
      assertThat(json(resp).path("code").asText()).isEqualTo("TOO_MANY_ATTEMPTS");
    }
    return resp.statusCode();
  }

  @Test
  void theLoginThrottleCountsTheForwardedAddressOfATrustedProxyOnly() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2, b -> b.trustedProxies(List.of("127.0.0.1")))) {
      HttpClient proxy = from("127.0.0.1");
      for (int i = 0; i < PER_ADDRESS; i++) {
        assertThat(failedLogin(app, proxy, "203.0.113.7", i)).isEqualTo(401);
      }
      assertThat(failedLogin(app, proxy, "203.0.113.7", 99)).isEqualTo(429);
      assertThat(failedLogin(app, proxy, "1.2.3.4, 203.0.113.7", 99)).as("a forged left part changes nothing").isEqualTo(429);
      // Another client behind the same proxy is not throttled.
      assertThat(failedLogin(app, proxy, "203.0.113.8", 0)).isEqualTo(401);

      HttpClient untrusted = from("127.0.0.2");
      for (int i = 0; i < PER_ADDRESS; i++) {
        assertThat(failedLogin(app, untrusted, "198.51.100." + i, i)).isEqualTo(401);
      }
      assertThat(failedLogin(app, untrusted, "198.51.100.250", 99)).as("forged addresses all count as 127.0.0.2")
          .isEqualTo(429);
    }
  }

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2)) {
      HttpClient client = from("127.0.0.1");
      for (int i = 0; i < PER_ADDRESS; i++) {
        assertThat(failedLogin(app, client, "203.0.113." + i, i)).isEqualTo(401);
      }
      assertThat(failedLogin(app, client, "203.0.113.250", 99)).isEqualTo(429);
    }
  }

  @Test
  void aSocketBehindTheProxyHasTheForwardedHandshakeAddress() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2, b -> b.trustedProxies(List.of("127.0.0.1", "::1")))) {
      BlockingQueue<String> addresses = new LinkedBlockingQueue<>();
      app.app().io().of("/notifications").use(s -> addresses.add(s.handshake().address()));
      String token = app.user("proxied").token();
      try (TestClient c = TestClient.connect(app.url() + "/notifications", TestClient.options()
          .setAuth(Map.of("token", token))
          .setExtraHeaders(Map.of("X-Forwarded-For", List.of("203.0.113.9"))).build())) {
        assertThat(c.isConnected()).isTrue();
        assertThat(addresses.poll(5, TimeUnit.SECONDS)).isEqualTo("203.0.113.9");
      }
    }
  }
}
