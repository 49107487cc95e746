package io.parley.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
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

  /** A token of {@code u} signed with {@code alg}, valid for a minute. */
  private static String token(Algorithm alg, User u) {
    return sign(alg, u.id(), Instant.now().plusSeconds(60));
  }

  private static String unsignedWith(String alg, User u) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(("{\"userId\":" + u.id() + ",\"role\":\"admin\",\"exp\":"
        + (Instant.now().getEpochSecond() + 60) + "}").getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }

  @Test
  void onlyHs256WithTheJwtSecretIsAccepted() throws Exception {
    User u = app.user("alg");
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair rsa = gen.generateKeyPair();
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("HS512 with the JWT secret", token(Algorithm.HMAC512(secret), u));
    refused.put("HS384 with the JWT secret", token(Algorithm.HMAC384(secret), u));
    refused.put("RS256", token(Algorithm.RSA256((RSAPublicKey) rsa.getPublic(), (RSAPrivateKey) rsa.getPrivate()), u));
    refused.put("HS256 with the webhook secret", token(Algorithm.HMAC256(TestApp.WEBHOOK_SECRET), u));
    refused.put("alg none", unsignedWith("none", u));
    refused.put("alg None", unsignedWith("None", u));
    refused.put("alg NONE", unsignedWith("NONE", u));
    refused.put("alg none with the signature of a real token", unsignedWith("none", u) + app.user("real").token().split("\\.")[2]);
    for (Map.Entry<String, String> e : refused.entrySet()) {
      try (TestClient c = app.connect(e.getValue())) {
        assertThat(code(c)).as(e.getKey()).isEqualTo("TOKEN_INVALID");
      }
      try (TestClient c = app.connect("/admin", e.getValue())) {
        assertThat(code(c)).as(e.getKey() + " on /admin").isEqualTo("TOKEN_INVALID");
      }
      assertThat(app.get("/api/rooms", e.getValue()).statusCode()).as(e.getKey() + " over HTTP").isEqualTo(401);
    }
    try (TestClient c = app.connect(token(Algorithm.HMAC256(secret), u))) {
      assertThat(c.isConnected()).as("the same token signed HS256 with the JWT secret").isTrue();
    }
  }

  @Test
  void aTokenNotYetValidBeyondTheLeewayIsRefusedAndWithinItAccepted() throws Exception {
    User u = app.user("early");
    Algorithm alg = Algorithm.HMAC256(SECRET);
    Instant exp = Instant.now().plusSeconds(600);
    String farFuture = JWT.create().withClaim("userId", u.id()).withExpiresAt(exp)
        .withNotBefore(Instant.now().plusSeconds(120)).sign(alg);
    String justAhead = JWT.create().withClaim("userId", u.id()).withExpiresAt(exp)
        .withNotBefore(Instant.now().plusSeconds(2)).sign(alg);
    String issuedInTheFuture = JWT.create().withClaim("userId", u.id()).withExpiresAt(exp)
        .withIssuedAt(Instant.now().plusSeconds(120)).sign(alg);
    try (TestClient c = app.connect(farFuture)) {
      assertThat(code(c)).isEqualTo("TOKEN_INVALID");
    }
    try (TestClient c = app.connect(issuedInTheFuture)) {
      assertThat(code(c)).isEqualTo("TOKEN_INVALID");
    }
    assertThat(app.get("/api/rooms", farFuture).statusCode()).isEqualTo(401);
    try (TestClient c = app.connect(justAhead)) {
      assertThat(c.isConnected()).as("nbf 2 s ahead, within the 5 s leeway").isTrue();
    }
  }

  @Test
  void theRoleIsTheDatabasesNotTheTokens() throws Exception {
    User u = app.user("pretender");
    String claimsAdmin = JWT.create().withClaim("userId", u.id()).withClaim("role", "admin")
        .withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.HMAC256(SECRET));
    try (TestClient c = app.connect("/admin", claimsAdmin)) {
      assertThat(code(c)).isEqualTo("FORBIDDEN");
    }
    try (TestClient c = TestClient.connect(app.url() + "/admin", TestClient.options().build())) {
      assertThat(code(c)).isEqualTo("AUTH_REQUIRED");
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
