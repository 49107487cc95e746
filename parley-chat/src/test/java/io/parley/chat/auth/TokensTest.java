package io.parley.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.parley.chat.auth.Tokens.TokenException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Tokens} alone: the time claims against the leeway, and what it issues. */
@Timeout(10)
class TokensTest {
  private static final String SECRET = "tokens-test-secret";
  private final Tokens tokens = new Tokens(SECRET, Duration.ofHours(1));

  private static String signed(Instant nbf, Instant exp) {
    var b = JWT.create().withClaim("userId", 7L).withExpiresAt(exp);
    if (nbf != null) {
      b.withNotBefore(nbf);
    }
    return b.sign(Algorithm.HMAC256(SECRET));
  }

  private static String code(ThrowingVerify v) {
    try {
      v.run();
    } catch (TokenException e) {
      return e.code();
    }
    return null;
  }

  @FunctionalInterface
  private interface ThrowingVerify {
    void run() throws TokenException;
  }

  @Test
  void notBeforeIsHonouredWithTheLeeway() throws Exception {
    Instant now = Instant.now();
    Instant exp = now.plusSeconds(3600);
    long leeway = Tokens.LEEWAY_SECONDS;
    assertThat(code(() -> tokens.verify(signed(now.plusSeconds(leeway + 30), exp)))).isEqualTo("TOKEN_INVALID");
    assertThat(code(() -> tokens.verify(signed(now.plusSeconds(leeway + 3), exp)))).isEqualTo("TOKEN_INVALID");
    assertThat(tokens.verify(signed(now.plusSeconds(leeway - 3), exp)).userId()).isEqualTo(7L);
    assertThat(tokens.verify(signed(now.minusSeconds(60), exp)).userId()).isEqualTo(7L);
  }

  @Test
  void expiryIsHonouredWithTheLeeway() throws Exception {
    Instant now = Instant.now();
    assertThat(code(() -> tokens.verify(signed(null, now.minusSeconds(Tokens.LEEWAY_SECONDS + 3)))))
        .isEqualTo("TOKEN_EXPIRED");
    assertThat(tokens.verify(signed(null, now.minusSeconds(Tokens.LEEWAY_SECONDS - 3))).userId()).isEqualTo(7L);
  }

  @Test
  void issuedTokensVerifyAndCarryTheRole() throws Exception {
    Tokens.Claims c = tokens.verify(tokens.issue(42, "ada", "admin"));
    assertThat(c.userId()).isEqualTo(42);
    assertThat(c.role()).isEqualTo("admin");
    assertThatThrownBy(() -> new Tokens("another", Duration.ofHours(1)).verify(tokens.issue(42, "ada", "user")))
        .isInstanceOf(TokenException.class);
  }
}
