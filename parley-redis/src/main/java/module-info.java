/** Cluster backends on Redis, wire-compatible with socket.io's Redis adapters and emitter. */
// Lettuce and msgpack ship no module descriptor (automatic modules, by their Automatic-Module-Name or
// file name): nothing to fix on this side, so these two lints are off for this declaration only.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.parley.redis {
  requires transitive io.parley.server;
  requires transitive lettuce.core;
  requires io.netty.common;
  requires jackson.dataformat.msgpack;
  requires msgpack.core;
  requires org.slf4j;

  exports io.parley.redis;
}
