package io.parley.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Engine.IO v4 codec: single packets (one WebSocket frame) and long-polling payloads, where packets
 * are joined by the record separator {@code \x1e} and binary packets are written {@code b<base64>}.
 * Stateless and thread-safe.
 */
public final class EngineCodec {
  /** The record separator that joins the packets of a long-polling payload. */
  public static final char SEPARATOR = '\u001e';

  private EngineCodec() {}

  /**
   * Decodes one text packet: a type digit followed by its payload.
   *
   * @param s the packet
   * @return the decoded packet
   * @throws ProtocolException when {@code s} is empty or starts with no packet type
   */
  public static EnginePacket.Text decodeText(String s) throws ProtocolException {
    if (s.isEmpty()) {
      throw new ProtocolException("empty packet");
    }
    EngineType type = EngineType.fromCode(s.charAt(0));
    if (type == null) {
      throw new ProtocolException("unknown packet type '" + s.charAt(0) + "'");
    }
    return new EnginePacket.Text(type, s.substring(1));
  }

  /**
   * Decodes a polling payload (the body of a POST).
   *
   * @param body the body, as text
   * @return its packets, in order
   * @throws ProtocolException when a packet is malformed or a binary one is not valid base64
   */
  public static List<EnginePacket> decodePayload(String body) throws ProtocolException {
    List<EnginePacket> out = new ArrayList<>(2);
    int start = 0;
    while (true) {
      int end = body.indexOf(SEPARATOR, start);
      String item = end < 0 ? body.substring(start) : body.substring(start, end);
      if (!item.isEmpty() && item.charAt(0) == 'b') {
        try {
          // The official Java client (engine.io-client-java) wraps its base64 in 76-character
          // lines: line breaks are ignored, as Node does; anything else outside the alphabet is refused.
          String b64 = item.indexOf('\n') >= 0 || item.indexOf('\r') >= 0
              ? item.substring(1).replace("\r", "").replace("\n", "") : item.substring(1);
          out.add(new EnginePacket.Binary(Base64.getDecoder().decode(b64)));
        } catch (IllegalArgumentException e) {
          throw new ProtocolException("invalid base64 in binary packet");
        }
      } else {
        out.add(decodeText(item));
      }
      if (end < 0) {
        return out;
      }
      start = end + 1;
    }
  }

  /**
   * Encodes a text packet as UTF-8: the type digit then the payload.
   *
   * @param type the packet type
   * @param data the payload (may be empty)
   * @return the UTF-8 bytes
   */
  public static byte[] encodeText(EngineType type, String data) {
    byte[] payload = data.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) type.code();
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  /**
   * Joins encoded frames into one polling payload. Each frame is either a UTF-8 text packet
   * (type digit first) or, when {@code binary[i]} is set, raw bytes written as {@code b<base64>}.
   *
   * @param frames the frames, in order
   * @param binary for each frame, whether it is binary
   * @return the payload, as UTF-8 bytes
   */
  public static byte[] encodePayload(List<byte[]> frames, List<Boolean> binary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        out.write(SEPARATOR);
      }
      byte[] f = frames.get(i);
      if (binary.get(i)) {
        out.write('b');
        out.writeBytes(Base64.getEncoder().encode(f));
      } else {
        out.writeBytes(f);
      }
    }
    return out.toByteArray();
  }
}
