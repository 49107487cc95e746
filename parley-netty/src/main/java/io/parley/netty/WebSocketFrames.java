package io.parley.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.parley.protocol.EncodedPacket;
import java.nio.ByteBuffer;

/**
 * Server-to-client WebSocket frames built once as bytes (server frames are not masked, so the
 * bytes are the same for every recipient) and written as-is, past Netty's frame encoder. Used when
 * no extension (permessage-deflate) has to transform frames per connection.
 */
final class WebSocketFrames {
  private static final byte FIN_TEXT = (byte) 0x81;
  private static final byte FIN_BINARY = (byte) 0x82;

  private WebSocketFrames() {}

  /** The frames of a packet: its text frame then one binary frame per attachment, cached on it. */
  static byte[][] of(EncodedPacket p) {
    Object cached = p.transportCache();
    if (cached instanceof byte[][] frames) {
      return frames;
    }
    byte[][] frames = new byte[p.frameCount()][];
    frames[0] = frame(FIN_TEXT, p.text());
    for (int i = 0; i < p.attachments().size(); i++) {
      frames[i + 1] = frame(FIN_BINARY, p.attachments().get(i));
    }
    p.transportCache(frames);
    return frames;
  }

  /**
   * The frames of a packet as buffers to write, each a reference of its own for this write. The
   * first recipient gets heap buffers (Netty copies them into direct memory for the socket, which
   * is the cheaper way for a packet with a single recipient); from the second on, the frames are
   * kept once in direct memory and every further recipient writes a duplicate of them, with no
   * copy. That memory belongs to the packet and is freed with it by the garbage collector.
   */
  static ByteBuf[] buffers(EncodedPacket p) {
    Object cached = p.transportCache();
    if (cached instanceof ByteBuf[] direct) {
      return retainedDuplicates(direct);
    }
    if (cached instanceof byte[][] frames) {
      ByteBuf[] direct = new ByteBuf[frames.length];
      for (int i = 0; i < frames.length; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(frames[i].length).put(frames[i]).flip();
        direct[i] = Unpooled.wrappedBuffer(b); // wraps JDK memory: release never frees it, GC does
      }
      p.transportCache(direct);
      return retainedDuplicates(direct);
    }
    byte[][] frames = of(p);
    ByteBuf[] heap = new ByteBuf[frames.length];
    for (int i = 0; i < frames.length; i++) {
      heap[i] = Unpooled.wrappedBuffer(frames[i]);
    }
    return heap;
  }

  private static ByteBuf[] retainedDuplicates(ByteBuf[] direct) {
    ByteBuf[] out = new ByteBuf[direct.length];
    for (int i = 0; i < direct.length; i++) {
      out[i] = direct[i].retainedDuplicate(); // the cache keeps its own reference, never released
    }
    return out;
  }

  static byte[] text(byte[] payload) {
    return frame(FIN_TEXT, payload);
  }

  static byte[] binary(byte[] payload) {
    return frame(FIN_BINARY, payload);
  }

  private static byte[] frame(byte first, byte[] payload) {
    int n = payload.length;
    int head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    byte[] f = new byte[head + n];
    f[0] = first;
    if (n < 126) {
      f[1] = (byte) n;
    } else if (n < 65536) {
      f[1] = 126;
      f[2] = (byte) (n >>> 8);
      f[3] = (byte) n;
    } else {
      f[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) {
        f[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, f, head, n);
    return f;
  }
}
