package io.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
@Timeout(30)
class HandshakeAuthTest {
  static final String SECRET = "handshake-test-secret";

  @Parameter
  Backend backend;

  static TestApp app;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) throws Exception {
    app = TestApp.start(backend, b -> b.jwtSecret(SECRET));
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    app.close();
  }

  private static String code(TestClient c) {
    return c.refusal().path("data").path("code").asText();
  }

  private static String sign(Algorithm alg, Object userId, Instant exp) {
    var b = JWT.create().withClaim("role", "user").withExpiresAt(exp);
    if (userId instanceof Long l) {
      b.withClaim("userId", l);
    } else {
      b.withSubject((String) userId);
    }
    return b.sign(alg);
  }

  @Test
  void noTokenIsAuthRequired() {
    try (TestClient c = TestClient.connect(app.url(), TestClient.options().build())) {
      assertThat(code(c)).isEqualTo("AUTH_REQUIRED");
      assertThat(c.refusal().path("message").asText()).isEqualTo("authentication token required");
    }
  }

  @Test
  void aGarbledOrForeignlySignedOrUnsignedTokenIsTokenInvalid() throws Exception {
    User u = app.user("mallory");
    String wrongKey = sign(Algorithm.HMAC256("another-secret"), u.id(), Instant.now().plusSeconds(60));
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"userId\":" + u.id() + ",\"exp\":" + (Instant.now().getEpochSecond() + 60) + "}").getBytes(StandardCharsets.UTF_8));
    String unsigned = header + "." + payload + ".";
    String noExp = JWT.create().withClaim("userId", u.id()).sign(Algorithm.HMAC256(SECRET));
    for (String token : List.of("garbage", wrongKey, unsigned, noExp)) {
      try (TestClient c = app.connect(token)) {
        assertThat(code(c)).as(token).isEqualTo("TOKEN_INVALID");
      }
    }
  }

  @Test
  void anExpiredTokenIsTokenExpiredButSmallClockSkewIsForgiven() throws Exception {
    User u = app.user("late");
    try (TestClient c = app.connect(sign(Algorithm.HMAC256(SECRET), u.id(), Instant.now().minusSeconds(60)))) {
      assertThat(code(c)).isEqualTo("TOKEN_EXPIRED");
      assertThat(c.refusal().path("message").asText()).isEqualTo("token expired");
    }
    try (TestClient c = app.connect(sign(Algorithm.HMAC256(SECRET), u.id(), Instant.now().minusSeconds(2)))) {
      assertThat(c.isConnected()).isTrue();
    }
  }

  @Test
  void aDisabledOrUnknownAccountIsAccountDisabled() throws Exception {
    User u = app.user("gone");
    app.app().users().setActive(u.id(), false);
    try (TestClient c = app.connect(u.token())) {
      assertThat(code(c)).isEqualTo("ACCOUNT_DISABLED");
    }
    try (TestClient c = app.connect(sign(Algorithm.HMAC256(SECRET), 999_999L, Instant.now().plusSeconds(60)))) {
      assertThat(code(c)).isEqualTo("ACCOUNT_DISABLED");
    }
  }

  @Test
  void theTokenMayComeFromAuthTheAuthorizationHeaderOrTheQueryAndSubStandsForUserId() throws Exception {
    User u = app.user("tokens");
    try (TestClient c = app.connect(u.token())) {
      assertThat(c.isConnected()).isTrue();
    }
    try (TestClient c = TestClient.connect(app.url(), TestClient.options()
        .setExtraHeaders(Map.of("Authorization", List.of("Bearer " + u.token()))).build())) {
      assertThat(c.isConnected()).isTrue();
    }
    try (TestClient c = TestClient.connect(app.url(), TestClient.options().setQuery("token=" + u.token()).build())) {
      assertThat(c.isConnected()).isTrue();
    }
    String sub = sign(Algorithm.HMAC256(SECRET), Long.toString(u.id()), Instant.now().plusSeconds(60));
    try (TestClient c = app.connect(sub)) {
      assertThat(c.isConnected()).isTrue();
    }
  }

  @Test
  void theAdminNamespaceRefusesOrdinaryUsersAndAdmitsTheAdmin() throws Exception {
    User u = app.user("plain");
    try (TestClient c = app.connect("/admin", u.token())) {
      JsonNode refusal = c.refusal();
      assertThat(refusal.path("data").path("code").asText()).isEqualTo("FORBIDDEN");
    }
    try (TestClient c = app.connect("/admin", "nonsense")) {
      assertThat(code(c)).isEqualTo("TOKEN_INVALID");
    }
    try (TestClient c = app.connect("/admin", app.admin().token())) {
      assertThat(c.isConnected()).isTrue();
    }
  }
}
