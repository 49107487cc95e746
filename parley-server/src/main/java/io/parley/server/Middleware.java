package io.parley.server;

/**
 * Connection middleware ({@code io.use}, {@code namespace.use}): runs before a socket joins its
 * namespace, on the socket's virtual thread (blocking is fine). Throw {@link ConnectError} (or any
 * exception) to refuse: the client gets CONNECT_ERROR {@code {message, data}}. Returning normally is
 * socket.io's {@code next()}; throwing is {@code next(err)}.
 *
 * <pre>{@code
 * io.use(socket -> {
 *   User user = sessions.find(socket.handshake().auth().path("token").asText());   // may block
 *   if (user == null) {
 *     throw new ConnectError("not authorized", Map.of("content", "Please retry later"));
 *   }
 *   socket.data().put("user", user);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {
  /**
   * Checks (and may prepare) a socket that asks to join the namespace. The socket is not connected
   * yet: it is in no room, and what it emits waits for its CONNECT reply.
   *
   * @param socket the connecting socket, with its {@link Socket#handshake()}
   * @throws Exception refuses the connection: the client's {@code connect_error} gets the exception's
   *     message (its class name when it has none) and, for a {@link ConnectError}, its data; the
   *     remaining middlewares do not run
   */
  void handle(Socket socket) throws Exception;

  /**
   * Marks a middleware that never blocks (checks on the handshake, no I/O), so that a connection
   * whose middlewares and connection listeners are all non-blocking is set up on its event loop
   * (see {@link ConnectionListener#nonBlocking}).
   *
   * @param middleware a middleware that never blocks (typically a lambda)
   * @return the same middleware
   */
  static NonBlocking nonBlocking(NonBlocking middleware) {
    return middleware;
  }

  /**
   * {@link #nonBlocking(NonBlocking)} for one already typed as a plain {@code Middleware}.
   *
   * @param middleware a middleware that never blocks
   * @return it, marked non-blocking
   */
  static NonBlocking nonBlocking(Middleware middleware) {
    return middleware instanceof NonBlocking n ? n : middleware::handle;
  }

  /** Declared non-blocking with {@link #nonBlocking}; as {@link EventListener.NonBlocking}, no wrapper. */
  @FunctionalInterface
  interface NonBlocking extends Middleware {}
}
