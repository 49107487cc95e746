package io.parley.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns WebSocket frames of one channel into Engine.IO packets for its session. */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
  private final EngineSession session;

  WebSocketFrameHandler(EngineSession session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      switch (frame) {
        case TextWebSocketFrame t -> {
          byte[] text = ByteBufUtil.getBytes(t.content());
          session.execute(() -> session.onWsText(ctx.channel(), text));
        }
        case BinaryWebSocketFrame b -> {
          byte[] data = ByteBufUtil.getBytes(b.content());
          session.execute(() -> session.onWsBinary(ctx.channel(), data));
        }
        case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
        case CloseWebSocketFrame c -> ctx.close();
        default -> { }
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("websocket error on {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
