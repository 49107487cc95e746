/** The standalone binding: Parley on Netty (HTTP/1.1, long-polling, WebSocket, TLS, connection limits). */
module io.parley.netty {
  requires transitive io.parley.server;
  requires transitive io.netty.handler;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.compression;
  requires transitive io.netty.codec.http; // HttpRoute's FullHttpRequest
  requires io.netty.common;
  requires transitive io.netty.transport; // HttpRoute's and ClientAddress's Channel, ChannelHandlerContext
  requires io.netty.transport.classes.epoll;
  requires org.slf4j;

  exports io.parley.netty;
}
