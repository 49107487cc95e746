package io.parley.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A plain HTTP route beside the Engine.IO endpoints (health checks, REST, static files), in Netty's
 * own types. Called on the event loop: return false to pass, or take the request and answer it; hand
 * blocking work to another thread and write the response from there. The request is released when
 * this returns: call {@code retain()} on it to use it later.
 *
 * <p>{@link ParleyServer.Builder#route} does not take this interface: it takes the
 * transport-neutral {@link io.parley.server.http.HttpRoute}, which new code should implement.
 */
@FunctionalInterface
public interface HttpRoute {
  /**
   * Offers a request to this route, on the connection's event loop.
   *
   * @param ctx the channel's context, to write the response with
   * @param request the request, released when this returns
   * @return true when this route took the request (and answers it), false to pass it on
   * @throws Exception when the request cannot be handled
   */
  boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}
