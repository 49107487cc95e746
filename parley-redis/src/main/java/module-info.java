/** Cluster backends on Redis, wire-compatible with socket.io's Redis adapters and emitter. */
module io.parley.redis {
  requires transitive io.parley.server;
  requires transitive lettuce.core;
  requires io.netty.common;
  requires jackson.dataformat.msgpack;
  requires msgpack.core;
  requires org.slf4j;

  exports io.parley.redis;
}
