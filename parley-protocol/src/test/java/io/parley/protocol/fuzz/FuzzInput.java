package io.parley.protocol.fuzz;

import java.util.List;

/**
 * A fuzzer's bytes read as a stream of choices, as Jazzer's {@code FuzzedDataProvider} does: every
 * property takes one {@code byte[]} and derives its whole case from it, so the same property runs
 * under Jazzer (coverage-guided mutation of the bytes) and under {@link Fuzz} (random bytes within a
 * budget). Past the end every choice is its smallest value, which makes a shorter input a simpler
 * case: cutting bytes off is a valid way to shrink.
 */
public final class FuzzInput {
  private final byte[] data;
  private int pos;

  public FuzzInput(byte[] data) {
    this.data = data;
  }

  public int remaining() {
    return Math.max(0, data.length - pos);
  }

  public boolean exhausted() {
    return pos >= data.length;
  }

  /** The next byte as 0..255 (0 past the end). */
  public int nextByte() {
    return pos < data.length ? data[pos++] & 0xff : 0;
  }

  public boolean bool() {
    return (nextByte() & 1) != 0;
  }

  /** True with probability about {@code percent}/100 for random bytes. */
  public boolean chance(int percent) {
    return nextByte() * 100 < percent * 256;
  }

  /** A value in [min, max], both inclusive. */
  public int intIn(int min, int max) {
    return (int) longIn(min, max);
  }

  /** A value in [min, max], both inclusive; the range must fit in a long. */
  public long longIn(long min, long max) {
    if (max <= min) {
      return min;
    }
    long range = max - min + 1; // callers keep ranges well inside Long.MAX_VALUE
    int bytes = 64 - Long.numberOfLeadingZeros(range - 1);
    bytes = (bytes + 7) / 8;
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v = (v << 8) | nextByte();
    }
    return min + Long.remainderUnsigned(v, range);
  }

  public <T> T pick(List<T> options) {
    return options.get(intIn(0, options.size() - 1));
  }

  public char pick(String chars) {
    return chars.charAt(intIn(0, chars.length() - 1));
  }

  /** Up to {@code maxLength} bytes. */
  public byte[] bytes(int maxLength) {
    int n = intIn(0, maxLength);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) nextByte();
    }
    return b;
  }

  /** Whatever is left, as it is. */
  public byte[] rest() {
    byte[] b = data.length > pos ? java.util.Arrays.copyOfRange(data, pos, data.length) : new byte[0];
    pos = data.length;
    return b;
  }

  private static final String SPECIALS = "\"\\/{}[],:-_0123456789 \t\n\r\u0000\u001e\u007f\u2028\ufeff";

  /**
   * Up to {@code maxLength} chars mixing ASCII, JSON and protocol specials, control characters,
   * BMP and supplementary characters; with {@code loneSurrogates} also unpaired surrogates (a Java
   * String may hold them, UTF-8 cannot).
   */
  public String text(int maxLength, boolean loneSurrogates) {
    int n = intIn(0, maxLength);
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      int kind = nextByte() % 10;
      switch (kind) {
        case 0, 1, 2, 3 -> sb.append((char) (' ' + nextByte() % 95));
        case 4, 5 -> sb.append(pick(SPECIALS));
        case 6 -> sb.append((char) (nextByte() % 0x20));
        case 7 -> {
          char c = (char) intIn(0x80, 0xfffd);
          sb.append(Character.isSurrogate(c) ? '\u00e9' : c);
        }
        case 8 -> sb.appendCodePoint(intIn(0x10000, 0x10ffff));
        default -> {
          if (loneSurrogates) {
            sb.append((char) intIn(0xd800, 0xdfff));
          } else {
            sb.append('\u00fc');
          }
        }
      }
    }
    return sb.toString();
  }
}
