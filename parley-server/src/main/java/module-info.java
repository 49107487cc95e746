/**
 * The transport-neutral Socket.IO server: the API applications program against
 * ({@code io.parley.server}), Parley's HTTP types ({@code io.parley.server.http}), the Engine.IO
 * layer and the interface a binding implements ({@code io.parley.server.engine}), the adapter SPI
 * of cluster backends ({@code io.parley.server.adapter}) and connection state recovery
 * ({@code io.parley.server.recovery}). {@code io.parley.server.internal} is not exported.
 */
module io.parley.server {
  requires transitive io.parley.protocol;
  requires org.slf4j;

  exports io.parley.server;
  exports io.parley.server.http;
  exports io.parley.server.engine;
  exports io.parley.server.adapter;
  exports io.parley.server.recovery;
}
