package io.parley.server.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of the short strings every connection repeats (header names, common header values,
 * query keys, the URL, the address), so that an idle connection does not keep its own copies in
 * its handshake. Bounded: the table forgets everything when it reaches {@link #MAX_ENTRIES}, so
 * unusual values cost a miss, never memory.
 */
public final class SharedStrings {
  static final int MAX_ENTRIES = 4096;
  static final int MAX_LENGTH = 256;
  private static final ConcurrentHashMap<String, String> TABLE = new ConcurrentHashMap<>();

  private SharedStrings() {
  }

  /** An equal string, the same instance as earlier calls gave when the table still holds it. */
  public static String share(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    String seen = TABLE.get(s);
    if (seen != null) {
      return seen;
    }
    if (TABLE.size() >= MAX_ENTRIES) {
      TABLE.clear();
    }
    String raced = TABLE.putIfAbsent(s, s);
    return raced == null ? s : raced;
  }
}
