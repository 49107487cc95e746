package io.parley.server;

/**
 * Per-packet middleware ({@code socket.use}): sees every incoming event before its listeners.
 * Throw to stop the event; the exception goes to the socket's error listeners. Runs on the socket's
 * virtual thread, in arrival order; it may block.
 *
 * <pre>{@code
 * socket.use((event, args) -> {
 *   if (!permissions.allows(socket.data().get("user"), event)) {
 *     throw new SecurityException("not allowed: " + event);
 *   }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface PacketMiddleware {
  /**
   * Checks one incoming event. Returning normally is socket.io's {@code next()}.
   *
   * @param event the event name
   * @param args its arguments
   * @throws Exception drops the event (socket.io's {@code next(err)}) and goes to the socket's
   *     {@link Socket#onError} listeners
   */
  void handle(String event, Args args) throws Exception;
}
