/** The standalone binding: Parley on Netty (HTTP/1.1, long-polling, WebSocket, TLS, connection limits). */
module io.parley.netty {
  requires transitive io.parley.server;
  requires transitive io.netty.handler;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.compression;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires org.slf4j;

  exports io.parley.netty;
}
