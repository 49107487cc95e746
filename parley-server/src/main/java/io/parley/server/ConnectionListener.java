package io.parley.server;

/**
 * Called for each socket that joined a namespace, on that socket's virtual thread (it may block),
 * as socket.io's {@code io.on("connection", socket => ...)}; see
 * {@link Namespace#onConnection} for when it runs. Listeners declared with {@link #nonBlocking} let
 * a connection be set up on its event loop.
 *
 * <pre>{@code
 * io.onConnection(socket -> {
 *   socket.join("user:" + socket.data().get("userId"));
 *   socket.on("ping", (args, ack) -> ack.send("pong"));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionListener {
  /**
   * Sets up a socket that just joined the namespace (registers its listeners, joins rooms, ...).
   *
   * @param socket the new socket
   * @throws Exception logged; the socket stays connected
   */
  void onConnection(Socket socket) throws Exception;

  /**
   * Marks a listener that never blocks (registering handlers, joining rooms, emitting): when every
   * middleware and connection listener a socket meets is non-blocking (and connection state
   * recovery is off), the socket is set up on its connection's event loop, without a thread
   * hand-off. A listener that blocks here stalls every connection of that event loop.
   *
   * @param listener a listener that never blocks (typically a lambda)
   * @return the same listener
   */
  static NonBlocking nonBlocking(NonBlocking listener) {
    return listener;
  }

  /**
   * {@link #nonBlocking(NonBlocking)} for one already typed as a plain {@code ConnectionListener}.
   *
   * @param listener a listener that never blocks
   * @return it, marked non-blocking
   */
  static NonBlocking nonBlocking(ConnectionListener listener) {
    return listener instanceof NonBlocking n ? n : listener::onConnection;
  }

  /** Declared non-blocking with {@link #nonBlocking}; as {@link EventListener.NonBlocking}, no wrapper. */
  @FunctionalInterface
  interface NonBlocking extends ConnectionListener {}
}
