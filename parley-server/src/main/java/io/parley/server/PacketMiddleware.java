package io.parley.server;

/**
 * Per-packet middleware ({@code socket.use}): sees every incoming event before its listeners.
 * Throw to stop the event; the exception goes to the socket's error listeners.
 */
@FunctionalInterface
public interface PacketMiddleware {
  void handle(String event, Args args) throws Exception;
}
