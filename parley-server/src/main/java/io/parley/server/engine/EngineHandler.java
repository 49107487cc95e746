package io.parley.server.engine;

/** What an Engine.IO endpoint does with each new connection: the Socket.IO server, or an echo fixture. */
@FunctionalInterface
public interface EngineHandler {
  EngineListener onConnection(EngineConnection connection);
}
