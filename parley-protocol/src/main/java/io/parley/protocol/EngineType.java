package io.parley.protocol;

/** Engine.IO v4 packet types; the wire form is the single digit {@link #code()}. */
public enum EngineType {
  /** {@code 0}: the handshake, {@code {sid, upgrades, pingInterval, pingTimeout, maxPayload}} (server). */
  OPEN('0'),
  /** {@code 1}: closes the session. */
  CLOSE('1'),
  /** {@code 2}: the heartbeat, sent by the server (and {@code 2probe} by a client testing a WebSocket). */
  PING('2'),
  /** {@code 3}: the answer to a ping ({@code 3probe} from the server). */
  PONG('3'),
  /** {@code 4}: a message: a Socket.IO packet. */
  MESSAGE('4'),
  /** {@code 5}: the client switches the session to the WebSocket it probed. */
  UPGRADE('5'),
  /** {@code 6}: nothing; ends a pending long-polling GET during an upgrade. */
  NOOP('6');

  private static final EngineType[] BY_DIGIT = values();
  private final char code;

  EngineType(char code) {
    this.code = code;
  }

  /** The digit that starts the packet on the wire. */
  public char code() {
    return code;
  }

  /**
   * The type for a wire digit, or {@code null} when the character is not a packet type.
   *
   * @param c the first character of a packet
   * @return the type, or null
   */
  public static EngineType fromCode(char c) {
    int i = c - '0';
    return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
  }
}
