package io.parley.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
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
  private final int maxMessageBytes;
  private boolean closing;
  private boolean aggregating;

  WebSocketFrameHandler(EngineSession session, int maxMessageBytes) {
    this.session = session;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!aggregating && !closing && (!frame.isFinalFragment() || frame instanceof ContinuationWebSocketFrame)) {
      // The first fragmented message: only now does this connection get an aggregator (most never
      // need one, and an idle connection should not carry it), which takes this frame and the rest.
      aggregating = true;
      WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(maxMessageBytes);
      ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", aggregator);
      try {
        aggregator.channelRead(ctx.pipeline().context(aggregator), frame);
      } catch (Exception e) {
        exceptionCaught(ctx, e);
      }
      return;
    }
    try {
      if (closing) {
        return; // after our close frame: read and discard until the client closes
      }
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
        case CloseWebSocketFrame c -> {
          closing = true;
          ctx.writeAndFlush(new CloseWebSocketFrame(c.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE
              : WebSocketCloseStatus.valueOf(c.statusCode()))).addListener(ChannelFutureListener.CLOSE);
        }
        default -> { }
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("websocket error on {}: {}", ctx.channel(), cause.toString());
    WebSocketCloseStatus status = switch (cause) {
      case CorruptedWebSocketFrameException c -> c.closeStatus();
      case TooLongFrameException t -> WebSocketCloseStatus.MESSAGE_TOO_BIG; // from the aggregator
      default -> null;
    };
    if (status == null || closing) {
      ctx.close();
      return;
    }
    closing = true;
    Channel ch = ctx.channel();
    session.execute(() -> session.onWsError(ch));
    WebSocketClosing.close(ch, status);
  }
}
