package io.parley.redis.internal;

import java.security.SecureRandom;

/** Random ids in the style of the {@code uid2} package used by {@code @socket.io/redis-adapter}. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private Ids() {}

  /** {@code length} random characters of the URL-safe alphabet. */
  public static String uid2(int length) {
    byte[] b = new byte[length];
    RANDOM.nextBytes(b);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = CHARS[b[i] & 63];
    }
    return new String(out);
  }
}
