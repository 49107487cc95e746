package io.parley.server.engine;

/**
 * What an Engine.IO endpoint does with each new connection: the Socket.IO server
 * ({@code SocketIoServer}), an echo fixture ({@link EchoHandler}), or a raw Engine.IO service mounted
 * with {@code ParleyServer.Builder.endpoint}.
 */
@FunctionalInterface
public interface EngineHandler {
  /**
   * Takes a new connection, once its handshake has been answered; called on the connection's
   * {@link EngineExecutor}, so it must not block.
   *
   * @param connection the new connection, to send on and close
   * @return the listener of what the connection receives
   */
  EngineListener onConnection(EngineConnection connection);
}
