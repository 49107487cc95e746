package io.parley.server;

/**
 * Connection middleware ({@code io.use}, {@code namespace.use}): runs before a socket joins its
 * namespace, on the socket's virtual thread (blocking is fine). Throw {@link ConnectError} (or any
 * exception) to refuse: the client gets CONNECT_ERROR {@code {message, data}}.
 */
@FunctionalInterface
public interface Middleware {
  void handle(Socket socket) throws Exception;
}
