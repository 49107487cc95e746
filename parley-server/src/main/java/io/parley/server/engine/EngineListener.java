package io.parley.server.engine;

/**
 * Receives what one Engine.IO connection delivers, in order, on the thread that owns the
 * connection (a Netty event loop): implementations must not block.
 */
public interface EngineListener {
  void onText(String data);

  void onBinary(byte[] data);

  /** The connection is gone; {@code reason} is one of the reference's close reasons. */
  void onClose(String reason);
}
