package io.parley.server.engine;

import io.parley.protocol.EncodedPacket;
import java.util.concurrent.Executor;

/**
 * One Engine.IO connection as the Socket.IO layer sees it. Implemented by a transport binding
 * (parley-netty). Every method is thread-safe: a write from any thread is handed to the thread
 * that owns the connection.
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

  /**
   * The thread that owns this connection. A broadcast groups its recipients by executor and hands
   * each group over in one task instead of one per recipient. Default: the calling thread.
   */
  default Executor executor() {
    return Runnable::run;
  }

  /** Closes the connection from the server side; the listener then sees {@code forced close}. */
  void close();
}
