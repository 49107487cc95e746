package io.parley.server;

/**
 * What Parley reports about itself, for a metrics backend (the application binds it to
 * Micrometer). Every method has a no-op default and is called on hot paths from event loops and
 * handler threads: implementations must be fast, thread-safe and never block. Tags come from fixed
 * sets (namespace names, reasons), never from client-chosen values such as event names.
 */
public interface ServerMetrics {
  /** Reports nothing: the default of {@link ServerOptions#metrics()}. */
  ServerMetrics NONE = new ServerMetrics() {};

  /** An Engine.IO connection opened. */
  default void connectionOpened() {}

  /** An Engine.IO connection closed, for one of the {@link DisconnectReason}s. */
  default void connectionClosed(DisconnectReason reason) {}

  /** A socket joined a namespace (its middlewares passed). */
  default void socketConnected(String nsp) {}

  /** A socket left a namespace. */
  default void socketDisconnected(String nsp, DisconnectReason reason) {}

  /** An event arrived from a client. */
  default void eventReceived(String nsp) {}

  /** An event from a client was dropped by the event rate limit. */
  default void eventDropped(String nsp) {}

  /** A broadcast was encoded and handed to {@code recipients} local sockets in {@code nanos}. */
  default void broadcast(String nsp, int recipients, long nanos) {}

  /** A client answered a server {@code emitWithAck} after {@code nanos}. */
  default void ackReceived(String nsp, long nanos) {}

  /** A server {@code emitWithAck} timed out. */
  default void ackTimedOut(String nsp) {}

  /** Bytes of Engine.IO frames received. */
  default void bytesIn(long bytes) {}

  /** Bytes of Engine.IO frames sent. */
  default void bytesOut(long bytes) {}

  /** A volatile packet was dropped because its connection was not ready to write. */
  default void volatileDropped() {}

  /** A connection was closed because it did not read fast enough ({@code maxBufferedBytes}). */
  default void slowClientDisconnected() {}

  /** A sink that forwards every call to {@code a} then {@code b}. */
  static ServerMetrics both(ServerMetrics a, ServerMetrics b) {
    if (a == NONE) {
      return b;
    }
    return new ServerMetrics() {
      @Override public void connectionOpened() { a.connectionOpened(); b.connectionOpened(); }
      @Override public void connectionClosed(DisconnectReason reason) { a.connectionClosed(reason); b.connectionClosed(reason); }
      @Override public void socketConnected(String nsp) { a.socketConnected(nsp); b.socketConnected(nsp); }
      @Override public void socketDisconnected(String nsp, DisconnectReason reason) { a.socketDisconnected(nsp, reason); b.socketDisconnected(nsp, reason); }
      @Override public void eventReceived(String nsp) { a.eventReceived(nsp); b.eventReceived(nsp); }
      @Override public void eventDropped(String nsp) { a.eventDropped(nsp); b.eventDropped(nsp); }
      @Override public void broadcast(String nsp, int recipients, long nanos) { a.broadcast(nsp, recipients, nanos); b.broadcast(nsp, recipients, nanos); }
      @Override public void ackReceived(String nsp, long nanos) { a.ackReceived(nsp, nanos); b.ackReceived(nsp, nanos); }
      @Override public void ackTimedOut(String nsp) { a.ackTimedOut(nsp); b.ackTimedOut(nsp); }
      @Override public void bytesIn(long bytes) { a.bytesIn(bytes); b.bytesIn(bytes); }
      @Override public void bytesOut(long bytes) { a.bytesOut(bytes); b.bytesOut(bytes); }
      @Override public void volatileDropped() { a.volatileDropped(); b.volatileDropped(); }
      @Override public void slowClientDisconnected() { a.slowClientDisconnected(); b.slowClientDisconnected(); }
    };
  }
}
