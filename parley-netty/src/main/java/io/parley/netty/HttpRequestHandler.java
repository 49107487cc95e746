package io.parley.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes each HTTP request to an Engine.IO endpoint, a plain route, or 404. */
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
  private final List<EngineEndpoint> endpoints;
  private final List<HttpRoute> routes;
  private final TrustedProxies trustedProxies;
  private final ConnectionLimiter limiter;

  HttpRequestHandler(List<EngineEndpoint> endpoints, List<HttpRoute> routes, TrustedProxies trustedProxies,
      ConnectionLimiter limiter) {
    this.endpoints = endpoints;
    this.routes = routes;
    this.trustedProxies = trustedProxies;
    this.limiter = limiter;
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
        HttpResponses.write(ctx, false, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
        return;
      }
      if (!trustedProxies.isEmpty()
          && !limiter.admitForwarded(ctx.channel(), ClientAddress.resolve(ctx.channel(), req.headers(), trustedProxies))) {
        HttpResponses.write(ctx, false, HttpResponses.text(HttpResponseStatus.TOO_MANY_REQUESTS,
            "Too many connections from this address"));
        return;
      }
      QueryStringDecoder qs = new QueryStringDecoder(req.uri());
      String path = qs.path();
      for (EngineEndpoint e : endpoints) {
        if (e.matches(path)) {
          e.handle(ctx, req, qs);
          return;
        }
      }
      for (HttpRoute r : routes) {
        if (r.handle(ctx, req)) {
          return;
        }
      }
      HttpResponses.write(ctx, HttpUtil.isKeepAlive(req), HttpResponses.text(HttpResponseStatus.NOT_FOUND, "Not Found"));
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
