package io.parley.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.util.ReferenceCountUtil;
import io.parley.protocol.EncodedPacket;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket on a Netty channel, both ways: incoming frames go to the engine's
 * {@link WebSocketHandler}, and this is the engine's {@link WebSocketSink} for outgoing ones.
 * Without an extension on the channel, outgoing frames are written as pre-encoded bytes past
 * Netty's frame encoder ({@link WebSocketFrames}: a broadcast's frames are built once for every
 * recipient); with permessage-deflate they go through the extension's encoder as frame objects.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter implements WebSocketSink {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
  private final int maxMessageBytes;
  private Channel ch;
  private WebSocketHandler handler;
  /** Whether frames may be written pre-encoded (no WebSocket extension on the channel). */
  private boolean rawFrames;
  private boolean closing;
  private boolean aggregating;

  WebSocketFrameHandler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ch = ctx.channel();
  }

  /** The handshake is done (the pipeline is final): frames now go to the handler {@code open} makes for this sink. */
  void open(Function<WebSocketSink, WebSocketHandler> open) {
    boolean raw = true;
    for (var e : ch.pipeline()) {
      if (e.getValue() instanceof WebSocketExtensionEncoder) {
        raw = false; // permessage-deflate: frames must go through the extension's encoder
      }
    }
    this.rawFrames = raw;
    WebSocketHandler h = open.apply(this);
    this.handler = h;
    ch.closeFuture().addListener(f -> h.onClosed());
  }

  // ---- incoming ----

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
      if (closing || handler == null) {
        return; // after our close frame: read and discard until the client closes
      }
      switch (frame) {
        case TextWebSocketFrame t -> handler.onText(ByteBufUtil.getBytes(t.content()));
        case BinaryWebSocketFrame b -> handler.onBinary(ByteBufUtil.getBytes(b.content()));
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
    if (handler != null) {
      handler.onError();
    }
    WebSocketClosing.close(ch, status);
  }

  // ---- outgoing (WebSocketSink) ----

  @Override
  public void send(EncodedPacket p) {
    if (rawFrames) {
      for (ByteBuf f : WebSocketFrames.buffers(p)) {
        ch.write(f, ch.voidPromise());
      }
    } else {
      ch.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(p.text())), ch.voidPromise());
      for (byte[] a : p.attachments()) {
        ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(a)), ch.voidPromise());
      }
    }
  }

  @Override
  public void sendText(byte[] utf8) {
    ch.write(rawFrames ? Unpooled.wrappedBuffer(WebSocketFrames.text(utf8))
        : new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), ch.voidPromise());
  }

  @Override
  public void sendBinary(byte[] data) {
    ch.write(rawFrames ? Unpooled.wrappedBuffer(WebSocketFrames.binary(data))
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), ch.voidPromise());
  }

  @Override
  public void flush() {
    ch.flush();
  }

  @Override
  public boolean writable() {
    return ch.isWritable();
  }

  @Override
  public long queuedBytes() {
    ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
    return queued == null ? 0 : queued.totalPendingWriteBytes();
  }

  @Override
  public void close(int status) {
    WebSocketClosing.close(ch, WebSocketCloseStatus.valueOf(status));
  }

  @Override
  public void terminate() {
    ch.close();
  }
}
