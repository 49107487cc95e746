package io.parley.server;

/**
 * Connection middleware ({@code io.use}, {@code namespace.use}): runs before a socket joins its
 * namespace, on the socket's virtual thread (blocking is fine). Throw {@link ConnectError} (or any
 * exception) to refuse: the client gets CONNECT_ERROR {@code {message, data}}.
 */
@FunctionalInterface
public interface Middleware {
  void handle(Socket socket) throws Exception;

  /**
   * Marks a middleware that never blocks (checks on the handshake, no I/O), so that a connection
   * whose middlewares and connection listeners are all non-blocking is set up on its event loop
   * (see {@link ConnectionListener#nonBlocking}).
   */
  static Middleware nonBlocking(Middleware middleware) {
    return new NonBlocking(middleware);
  }

  /** A middleware declared non-blocking with {@link #nonBlocking}. */
  record NonBlocking(Middleware delegate) implements Middleware {
    @Override
    public void handle(Socket socket) throws Exception {
      delegate.handle(socket);
    }
  }
}
