package io.parley.chat.auth;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** bcrypt hashing of passwords. Slow on purpose: call it on a virtual thread. */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
  public static final int MAX_BYTES = 72;
  public static final int MIN_CHARS = 8;

  private final int cost;
  /** A hash to compare against when the user does not exist, so that both cases take as long. */
  private final String dummyHash;

  public Passwords(int cost) {
    this.cost = cost;
    this.dummyHash = BCrypt.hashpw("parley-dummy-password", BCrypt.gensalt(cost));
  }

  /** Null when acceptable, else why not. */
  public static String problem(String password) {
    if (password.length() < MIN_CHARS) {
      return "password must be at least " + MIN_CHARS + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "password must be at most " + MAX_BYTES + " bytes";
    }
    return null;
  }

  public String hash(String password) {
    return BCrypt.hashpw(password, BCrypt.gensalt(cost));
  }

  /** Checks {@code password} against {@code hash}; with a null hash, spends the same time and fails. */
  public boolean matches(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    try {
      boolean ok = BCrypt.checkpw(password, hash == null ? dummyHash : hash);
      return ok && hash != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
