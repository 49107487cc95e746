package io.parley.server;

/**
 * Called for each socket that joined a namespace, on that socket's virtual thread (it may block).
 * Listeners declared with {@link #nonBlocking} let a connection be set up on its event loop.
 */
@FunctionalInterface
public interface ConnectionListener {
  void onConnection(Socket socket) throws Exception;

  /**
   * Marks a listener that never blocks (registering handlers, joining rooms, emitting): when every
   * middleware and connection listener a socket meets is non-blocking (and connection state
   * recovery is off), the socket is set up on its connection's event loop, without a thread
   * hand-off. A listener that blocks here stalls every connection of that event loop.
   */
  static NonBlocking nonBlocking(NonBlocking listener) {
    return listener;
  }

  /** {@link #nonBlocking(NonBlocking)} for one already typed as a plain {@code ConnectionListener}. */
  static NonBlocking nonBlocking(ConnectionListener listener) {
    return listener instanceof NonBlocking n ? n : listener::onConnection;
  }

  /** Declared non-blocking with {@link #nonBlocking}; as {@link EventListener.NonBlocking}, no wrapper. */
  @FunctionalInterface
  interface NonBlocking extends ConnectionListener {}
}
