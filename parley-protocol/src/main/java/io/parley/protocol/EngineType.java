package io.parley.protocol;

/** Engine.IO v4 packet types; the wire form is the single digit {@link #code()}. */
public enum EngineType {
  OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

  private static final EngineType[] BY_DIGIT = values();
  private final char code;

  EngineType(char code) {
    this.code = code;
  }

  public char code() {
    return code;
  }

  /** The type for a wire digit, or {@code null} when the character is not a packet type. */
  public static EngineType fromCode(char c) {
    int i = c - '0';
    return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
  }
}
