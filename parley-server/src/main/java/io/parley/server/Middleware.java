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
  static NonBlocking nonBlocking(NonBlocking middleware) {
    return middleware;
  }

  /** {@link #nonBlocking(NonBlocking)} for one already typed as a plain {@code Middleware}. */
  static NonBlocking nonBlocking(Middleware middleware) {
    return middleware instanceof NonBlocking n ? n : middleware::handle;
  }

  /** Declared non-blocking with {@link #nonBlocking}; as {@link EventListener.NonBlocking}, no wrapper. */
  @FunctionalInterface
  interface NonBlocking extends Middleware {}
}
