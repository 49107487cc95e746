package io.parley.server.engine;

/**
 * The incoming side of one WebSocket, implemented by the engine: a binding calls it from the
 * socket's I/O thread, in order. Arrays handed over are not reused by the caller.
 */
public interface WebSocketHandler {
  void onText(byte[] utf8);

  void onBinary(byte[] data);

  /** The peer broke the protocol (an oversized or corrupt frame); the binding is closing the socket. */
  void onError();

  /** The socket is closed (by either side). */
  void onClosed();
}
