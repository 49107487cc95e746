package io.parley.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.parley.server.engine.Engine;
import io.parley.server.http.HttpResponse;
import io.parley.server.http.HttpRoute;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes each HTTP request to an Engine.IO endpoint, a plain route, or 404. */
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
  private final List<Engine> engines;
  private final List<HttpRoute> routes;
  private final TrustedProxies trustedProxies;
  private final ConnectionLimiter limiter;
  private final LoopExecutors executors;

  HttpRequestHandler(List<Engine> engines, List<HttpRoute> routes, TrustedProxies trustedProxies,
      ConnectionLimiter limiter, LoopExecutors executors) {
    this.engines = engines;
    this.routes = routes;
    this.trustedProxies = trustedProxies;
    this.limiter = limiter;
    this.executors = executors;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      DecoderResult dr = req.decoderResult();
      if (dr.isFailure()) {
        HttpResponses.write(ctx, false, HttpResponse.text(400, "Bad Request"));
        return;
      }
      InetAddress client = trustedProxies.isEmpty() ? ClientAddress.peer(ctx.channel())
          : ClientAddress.resolve(ctx.channel(), req.headers(), trustedProxies);
      if (!trustedProxies.isEmpty() && !limiter.admitForwarded(ctx.channel(), client)) {
        HttpResponses.write(ctx, false, HttpResponse.text(429, "Too many connections from this address"));
        return;
      }
      QueryStringDecoder qs = new QueryStringDecoder(req.uri());
      String path = qs.rawPath();
      NettyHttpRequest request = new NettyHttpRequest(req, qs, client,
          client != null ? client.getHostAddress() : String.valueOf(ctx.channel().remoteAddress()),
          ctx.pipeline().get(SslHandler.class) != null);
      NettyExchange exchange = new NettyExchange(ctx, req, HttpUtil.isKeepAlive(req), executors.of(ctx.channel().eventLoop()));
      for (Engine e : engines) {
        if (e.matches(path)) {
          e.handle(request, exchange);
          return;
        }
      }
      for (HttpRoute r : routes) {
        if (r.handle(request, exchange)) {
          return;
        }
      }
      exchange.respond(HttpResponse.text(404, "Not Found"));
    } finally {
      req.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("http error on {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
