package io.parley.server.engine;

import io.parley.server.DisconnectReason;

/**
 * Receives what one Engine.IO connection delivers, in order, on the thread that owns the
 * connection (its {@link EngineExecutor}): implementations must not block.
 */
public interface EngineListener {
  void onText(String data);

  /**
   * A text message as UTF-8 bytes in {@code utf8[off, off+len)} (the WebSocket path; the array is
   * not reused by the caller). The default decodes it and calls {@link #onText(String)}.
   */
  default void onText(byte[] utf8, int off, int len) {
    onText(new String(utf8, off, len, java.nio.charset.StandardCharsets.UTF_8));
  }

  void onBinary(byte[] data);

  /** The connection now uses {@code transport} (a polling session upgraded to {@code websocket}). */
  default void onUpgrade(String transport) {}

  /** The connection is gone, for {@code reason}. */
  void onClose(DisconnectReason reason);
}
