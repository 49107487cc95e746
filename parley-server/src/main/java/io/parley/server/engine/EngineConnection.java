package io.parley.server.engine;

import io.parley.protocol.EncodedPacket;

/**
 * One Engine.IO connection as the Socket.IO layer sees it (an {@link Engine}'s session, whatever
 * binding carries it). Every method is thread-safe: a write from any thread is handed to the
 * thread that owns the connection.
 */
public interface EngineConnection {
  /** The Engine.IO session id (not a Socket.IO socket id). */
  String id();

  /** The current transport name: {@code polling} or {@code websocket}. */
  String transport();

  /** What the handshake request looked like. */
  RequestInfo request();

  /**
   * Queues a packet: its text frame then its attachments, atomically (no other packet's frames
   * in between). When {@code droppable} and the connection is not ready for writing, the packet is
   * dropped instead (a {@code volatile} emit).
   */
  void send(EncodedPacket packet, boolean droppable);

  /** Sends a raw binary Engine.IO message (the plain Engine.IO echo endpoint needs it). */
  void sendBinary(byte[] data);

  /**
   * The thread that owns this connection. A broadcast groups its recipients by executor and hands
   * each group over in one task instead of one per recipient.
   */
  EngineExecutor executor();

  /** Closes the connection from the server side; the listener then sees {@code forced close}. */
  void close();
}
