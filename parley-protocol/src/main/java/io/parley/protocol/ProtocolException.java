package io.parley.protocol;

/** Input that does not follow the Engine.IO / Socket.IO wire format. The message says what was wrong. */
public final class ProtocolException extends Exception {
  /**
   * An exception without a stack trace (malformed input is routine; the connection is simply closed).
   *
   * @param message what was wrong, for logs
   */
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
