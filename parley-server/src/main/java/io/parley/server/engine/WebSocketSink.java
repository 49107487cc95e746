package io.parley.server.engine;

import io.parley.protocol.EncodedPacket;

/**
 * The outgoing side of one WebSocket, implemented by a binding. Called only on the session's
 * {@link EngineExecutor}; writes are buffered until {@link #flush}.
 */
public interface WebSocketSink {
  /** Queues a Socket.IO packet: its text frame, then one binary frame per attachment. */
  void send(EncodedPacket packet);

  /** Queues a text frame of UTF-8 bytes. */
  void sendText(byte[] utf8);

  /** Queues a binary frame. */
  void sendBinary(byte[] data);

  /** Writes what is queued. */
  void flush();

  /** Whether the socket takes more writes without queueing past its high-water mark. */
  boolean writable();

  /** Bytes written but not yet taken by the network. */
  long queuedBytes();

  /** The closing handshake: what is queued, a close frame with {@code status}, then the socket closes. */
  void close(int status);

  /** Closes the socket now, without a close frame (a failed upgrade probe). */
  void terminate();
}
