package io.parley.chat.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * HS256 tokens. The algorithm is pinned (a token signed otherwise, or with {@code alg: none}, is
 * invalid), {@code exp} is required and honoured with {@link #LEEWAY_SECONDS} of clock skew. The
 * user id is the {@code userId} claim (number or numeric string), else {@code sub}.
 */
public final class Tokens {
  public static final long LEEWAY_SECONDS = 5;

  /** What a valid token says. */
  public record Claims(long userId, String role) {}

  /** Why a token was refused; {@code code} is the CONNECT_ERROR / HTTP error code. */
  public static final class TokenException extends Exception {
    private final String code;

    TokenException(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Duration lifetime;

  public Tokens(String secret, Duration lifetime) {
    this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
    this.verifier = JWT.require(algorithm).acceptLeeway(LEEWAY_SECONDS).withClaimPresence("exp").build();
    this.lifetime = lifetime;
  }

  public String issue(long userId, String username, String role) {
    Instant now = Instant.now();
    return JWT.create()
        .withSubject(Long.toString(userId))
        .withClaim("userId", userId)
        .withClaim("username", username)
        .withClaim("role", role)
        .withIssuedAt(now)
        .withExpiresAt(now.plus(lifetime))
        .sign(algorithm);
  }

  public Claims verify(String token) throws TokenException {
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      throw new TokenException("TOKEN_EXPIRED", "token expired");
    } catch (JWTVerificationException e) {
      throw new TokenException("TOKEN_INVALID", "invalid token");
    }
    Long userId = userId(jwt.getClaim("userId"));
    if (userId == null && jwt.getSubject() != null) {
      userId = parse(jwt.getSubject());
    }
    if (userId == null) {
      throw new TokenException("TOKEN_INVALID", "invalid token: no userId or sub");
    }
    Claim role = jwt.getClaim("role");
    return new Claims(userId, role.isMissing() || role.isNull() ? "user" : role.asString());
  }

  private static Long userId(Claim c) {
    if (c.isMissing() || c.isNull()) {
      return null;
    }
    Long asLong = c.asLong();
    return asLong != null ? asLong : parse(c.asString());
  }

  private static Long parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
