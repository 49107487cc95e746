package io.parley.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A plain HTTP route beside the Engine.IO endpoints (health checks, REST, static files). Called on
 * the event loop: return false to pass, or take the request and answer it; hand blocking work to
 * another thread and write the response from there. The request is released when this returns:
 * call {@code retain()} on it to use it later.
 */
@FunctionalInterface
public interface HttpRoute {
  boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}
