package io.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One simulated Socket.IO client over WebSocket. It answers pings, joins the main namespace and
 * reports events and acks to its {@link Listener}, parsing only what the benchmark needs (packet
 * type, ack id, the {@code "t":} send timestamp) straight from the frame bytes. Confined to its
 * channel's event loop.
 */
final class BenchClient extends SimpleChannelInboundHandler<WebSocketFrame> {
  /** What a scenario wants to hear about. Called on the client's event loop. */
  interface Listener {
    default void onConnected(BenchClient c) {}

    /** An EVENT arrived; {@code sentAt} is the {@code "t":} value in it, or -1. */
    default void onEvent(BenchClient c, long sentAt) {}

    /** An ACK arrived for {@code ackId}. */
    default void onAck(BenchClient c, long ackId) {}

    default void onClosed(BenchClient c, boolean wasConnected) {}
  }

  private static final byte[] T_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);

  final int index;
  private final Listener listener;
  private Channel channel;
  private boolean connected;
  long startedAt;
  long connectedAt;
  /** Scenario scratch: the send time of the request in flight (echo). */
  long inFlightSince;
  /** When a paced client sends its next request (echo --rate). */
  long nextDue;
  private long nextAckId;

  BenchClient(int index, Listener listener) {
    this.index = index;
    this.listener = listener;
  }

  boolean connected() {
    return connected;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      channel = ctx.channel();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean was = connected;
    connected = false;
    listener.onClosed(this, was);
    super.channelInactive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      return; // binary attachments are not used by the benchmark contract
    }
    ByteBuf b = frame.content();
    int i = b.readerIndex();
    if (b.readableBytes() == 0) {
      return;
    }
    switch (b.getByte(i)) {
      case '0' -> ctx.writeAndFlush(new TextWebSocketFrame("40"));
      case '2' -> ctx.writeAndFlush(new TextWebSocketFrame("3"));
      case '4' -> onSocketIo(ctx, b, i + 1);
      default -> { }
    }
  }

  private void onSocketIo(ChannelHandlerContext ctx, ByteBuf b, int i) {
    if (i >= b.writerIndex()) {
      return;
    }
    switch (b.getByte(i)) {
      case '0' -> {
        if (!connected) {
          connected = true;
          connectedAt = System.nanoTime();
          channel = ctx.channel();
          listener.onConnected(this);
        }
      }
      case '2' -> listener.onEvent(this, sentAt(b, i + 1));
      case '3' -> {
        long id = 0;
        int k = i + 1;
        while (k < b.writerIndex()) {
          byte c = b.getByte(k);
          if (c < '0' || c > '9') {
            break;
          }
          id = id * 10 + (c - '0');
          k++;
        }
        listener.onAck(this, id);
      }
      case '4' -> ctx.close(); // CONNECT_ERROR
      default -> { }
    }
  }

  private static long sentAt(ByteBuf b, int from) {
    int end = b.writerIndex() - T_KEY.length;
    outer:
    for (int p = from; p <= end; p++) {
      for (int q = 0; q < T_KEY.length; q++) {
        if (b.getByte(p + q) != T_KEY[q]) {
          continue outer;
        }
      }
      long v = 0;
      int k = p + T_KEY.length;
      boolean any = false;
      while (k < b.writerIndex()) {
        byte c = b.getByte(k);
        if (c < '0' || c > '9') {
          break;
        }
        v = v * 10 + (c - '0');
        any = true;
        k++;
      }
      return any ? v : -1;
    }
    return -1;
  }

  /** Sends {@code 42["event",payload]}; with {@code ack}, as {@code 42<id>[...]} and returns the id. */
  long emit(String event, String jsonPayload, boolean ack) {
    long id = ack ? nextAckId++ : -1;
    String text = ack
        ? "42" + id + "[\"" + event + "\"," + jsonPayload + "]"
        : "42[\"" + event + "\"," + jsonPayload + "]";
    channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    return id;
  }
}
