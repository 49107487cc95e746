package io.parley.server.engine;

import io.parley.server.DisconnectReason;

/**
 * Receives what one Engine.IO connection delivers, in order, on the thread that owns the
 * connection (its {@link EngineExecutor}): implementations must not block.
 */
public interface EngineListener {
  /**
   * A text message: the payload of an Engine.IO {@code message} packet, without its type digit.
   *
   * @param data the message
   */
  void onText(String data);

  /**
   * A text message as UTF-8 bytes in {@code utf8[off, off+len)} (the WebSocket path; the array is
   * not reused by the caller). The default decodes it and calls {@link #onText(String)}.
   *
   * @param utf8 the array holding the message
   * @param off where the message starts
   * @param len its length in bytes
   */
  default void onText(byte[] utf8, int off, int len) {
    onText(new String(utf8, off, len, java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A binary message.
   *
   * @param data its bytes (not reused by the caller)
   */
  void onBinary(byte[] data);

  /**
   * The connection now uses {@code transport} (a polling session upgraded to {@code websocket}).
   *
   * @param transport the new transport's name
   */
  default void onUpgrade(String transport) {}

  /**
   * The connection is gone, for {@code reason}; called once, and nothing follows.
   *
   * @param reason why: {@code transport close}, {@code ping timeout}, {@code forced close}, ...
   */
  void onClose(DisconnectReason reason);
}
