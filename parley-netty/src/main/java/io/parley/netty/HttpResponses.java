package io.parley.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.parley.server.http.HttpResponse;

/** The one place a response is written to a Netty channel, honouring keep-alive. */
final class HttpResponses {
  private HttpResponses() {}

  /** Writes {@code r} (from any thread) with its Content-Length and Connection headers; closes after it unless kept alive. */
  static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponse r) {
    byte[] body = r.body();
    FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
        Unpooled.wrappedBuffer(body));
    r.forEachHeader(full.headers()::add);
    int status = r.status();
    boolean bodiless = status < 200 || status == 204 || status == 304; // RFC 9110: no Content-Length of 0 there
    if (!bodiless && !full.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) { // a HEAD answer may state the GET body's length
      full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    if (keepAlive) {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(full, ctx.voidPromise());
    } else {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(full).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
