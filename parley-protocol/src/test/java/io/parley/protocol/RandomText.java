package io.parley.protocol;

import java.util.Random;

/** Random strings for the round-trip tests: ASCII, JSON specials, BMP and supplementary characters. */
final class RandomText {
  private static final String SPECIALS = "\"\\/{}[],:-_0123456789 \t\n\u0000\u001e\u007f";

  private RandomText() {}

  /** Up to {@code max} characters; the record separator only when {@code allowSeparator}. */
  static String string(Random r, int max, boolean allowSeparator) {
    int len = r.nextInt(max + 1);
    StringBuilder sb = new StringBuilder(len);
    while (sb.length() < len) {
      int pick = r.nextInt(10);
      if (pick < 5) {
        sb.append((char) (' ' + r.nextInt(95)));
      } else if (pick < 7) {
        sb.append(SPECIALS.charAt(r.nextInt(SPECIALS.length())));
      } else if (pick < 9) {
        char c;
        do {
          c = (char) (0x80 + r.nextInt(0xFFFF - 0x80));
        } while (Character.isSurrogate(c));
        sb.append(c);
      } else {
        sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
      }
    }
    String s = sb.toString();
    return allowSeparator ? s : s.replace('\u001e', '.');
  }
}
