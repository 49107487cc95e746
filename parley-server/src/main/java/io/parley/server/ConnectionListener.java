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
  static ConnectionListener nonBlocking(ConnectionListener listener) {
    return new NonBlocking(listener);
  }

  /** A listener declared non-blocking with {@link #nonBlocking}. */
  record NonBlocking(ConnectionListener delegate) implements ConnectionListener {
    @Override
    public void onConnection(Socket socket) throws Exception {
      delegate.onConnection(socket);
    }
  }
}
