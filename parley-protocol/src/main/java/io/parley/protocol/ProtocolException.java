package io.parley.protocol;

/** Input that does not follow the Engine.IO / Socket.IO wire format. The message says what was wrong. */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
