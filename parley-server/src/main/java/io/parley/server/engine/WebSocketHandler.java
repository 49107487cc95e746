package io.parley.server.engine;

/**
 * The incoming side of one WebSocket, implemented by the engine: a binding calls it from the
 * socket's I/O thread, in order. Arrays handed over are not reused by the caller.
 */
public interface WebSocketHandler {
  /**
   * A text frame (a whole message: fragments are joined by the binding).
   *
   * @param utf8 its UTF-8 bytes
   */
  void onText(byte[] utf8);

  /**
   * A binary frame (a whole message).
   *
   * @param data its bytes
   */
  void onBinary(byte[] data);

  /** The peer broke the protocol (an oversized or corrupt frame); the binding is closing the socket. */
  void onError();

  /** The socket is closed (by either side). */
  void onClosed();
}
