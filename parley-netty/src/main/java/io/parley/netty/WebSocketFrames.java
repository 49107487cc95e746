package io.parley.netty;

import io.parley.protocol.EncodedPacket;

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
