package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.parley.server.engine.EngineExecutor;
import io.parley.server.engine.HttpExchange;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import io.parley.server.http.HttpResponse;
import java.util.function.Function;

/**
 * One HTTP request on a Netty channel, answered through {@link HttpResponses}: the engine's
 * {@link HttpExchange} and an application route's responder. The request itself is only used by
 * {@link #upgrade}, which runs while the request is being handled.
 */
final class NettyExchange implements HttpExchange {
  private final ChannelHandlerContext ctx;
  private final FullHttpRequest request;
  private final boolean keepAlive;
  private final EngineExecutor executor;
  private GenericFutureListener<Future<? super Void>> closeListener;

  NettyExchange(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, EngineExecutor executor) {
    this.ctx = ctx;
    this.request = request;
    this.keepAlive = keepAlive;
    this.executor = executor;
  }

  @Override
  public void respond(HttpResponse response) {
    GenericFutureListener<Future<? super Void>> l = closeListener;
    if (l != null) { // a long poll's close watch ends with its answer (keep-alive connections carry many)
      closeListener = null;
      ctx.channel().closeFuture().removeListener(l);
    }
    HttpResponses.write(ctx, keepAlive, response);
  }

  @Override
  public EngineExecutor executor() {
    return executor;
  }

  @Override
  public void onClose(Runnable r) {
    GenericFutureListener<Future<? super Void>> l = f -> r.run();
    closeListener = l;
    ctx.channel().closeFuture().addListener(l);
  }

  @Override
  public void upgrade(int maxMessageBytes, String firstMessage, Function<WebSocketSink, WebSocketHandler> open) {
    WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
        "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, decoderConfig(maxMessageBytes))
        .newHandshaker(request);
    if (hs == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    Channel ch = ctx.channel();
    WebSocketFrameHandler frames = new WebSocketFrameHandler(maxMessageBytes);
    ctx.pipeline().replace(ctx.handler(), "engine-ws", frames);
    // With permessage-deflate, the extension's encoder joins the pipeline only once the 101 is
    // written: the first message must wait for it to be compressed like the others.
    boolean early = firstMessage != null && ctx.pipeline().get(WebSocketServerExtensionHandler.class) == null;
    hs.handshake(ch, request).addListener(f -> {
      if (f.isSuccess()) {
        if (firstMessage != null && !early) {
          ch.writeAndFlush(new TextWebSocketFrame(firstMessage), ch.voidPromise());
        }
        frames.open(open);
      } else {
        ch.close();
      }
    });
    if (early) {
      // The handshaker has put the frame encoder in place (the HTTP encoder lets frames through):
      // this frame follows the 101 response, flushed with it when the read completes.
      ch.writeAndFlush(new TextWebSocketFrame(firstMessage), ch.voidPromise());
    }
  }

  /** One frame decoder configuration per message limit, shared by every WebSocket with that limit. */
  private static volatile WebSocketDecoderConfig lastConfig;

  private static WebSocketDecoderConfig decoderConfig(int maxMessageBytes) {
    WebSocketDecoderConfig c = lastConfig;
    if (c == null || c.maxFramePayloadLength() != maxMessageBytes) {
      c = WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(maxMessageBytes)
          .allowExtensions(true)
          .closeOnProtocolViolation(false) // WebSocketFrameHandler closes, with the closing handshake
          .build();
      lastConfig = c;
    }
    return c;
  }
}
