package io.parley.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Socket.IO v5 codec. Encoding is thread-safe and turns any Jackson-serialisable value into an
 * {@link EncodedPacket}; binary values become attachments and switch the packet to its BINARY_*
 * type. Decoding is stateful per connection because binary packets span several frames: use one
 * {@link Decoder} per Engine.IO connection.
 */
public final class SocketCodec {
  /** Event names a client may not emit (the reference parser refuses them). */
  public static final Set<String> RESERVED_EVENTS =
      Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  private final ObjectMapper mapper;
  private final JsonFactory factory;
  /** Reads a payload as JSON.parse does: anything after the JSON value makes it invalid. */
  private final ObjectReader payloadReader;

  public SocketCodec(ObjectMapper mapper) {
    this.mapper = mapper;
    this.factory = mapper.getFactory();
    this.payloadReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** Encodes an EVENT (or BINARY_EVENT) {@code [event, ...args]}. */
  public EncodedPacket encodeEvent(String nsp, long id, String event, Object... args) {
    return encode(PacketType.EVENT, nsp, id, g -> {
      g.writeStartArray();
      g.writeString(event);
      for (Object a : args) {
        mapper.writeValue(g, a);
      }
      g.writeEndArray();
    });
  }

  /** Encodes an ACK (or BINARY_ACK) whose payload is the array of {@code args}. */
  public EncodedPacket encodeAck(String nsp, long id, Object... args) {
    return encode(PacketType.ACK, nsp, id, g -> {
      g.writeStartArray();
      for (Object a : args) {
        mapper.writeValue(g, a);
      }
      g.writeEndArray();
    });
  }

  /** Encodes any packet; {@code data} null means no payload. EVENT/ACK switch to BINARY_* as needed. */
  public EncodedPacket encode(PacketType type, String nsp, long id, Object data) {
    return encode(type, nsp, id, data == null ? null : g -> mapper.writeValue(g, data));
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private EncodedPacket encode(PacketType type, String nsp, long id, Body body) {
    List<byte[]> attachments = new ArrayList<>(0);
    byte[] json = null;
    if (body != null) {
      try (ByteArrayBuilder buf = new ByteArrayBuilder(factory._getBufferRecycler(), 128)) {
        try (JsonGenerator g = new BinaryCapturingGenerator(factory.createGenerator(buf), attachments)) {
          body.write(g);
        }
        json = buf.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialise payload", e);
      }
    }
    if (!attachments.isEmpty()) {
      if (type == PacketType.EVENT) {
        type = PacketType.BINARY_EVENT;
      } else if (type == PacketType.ACK) {
        type = PacketType.BINARY_ACK;
      }
    }
    StringBuilder h = new StringBuilder(16 + nsp.length());
    h.append('4').append(type.digit());
    if (type.isBinary()) {
      h.append(attachments.size()).append('-');
    }
    if (!"/".equals(nsp)) {
      h.append(nsp).append(',');
    }
    if (id >= 0) {
      h.append(id);
    }
    byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
    if (json == null) {
      return new EncodedPacket(head, attachments);
    }
    byte[] text = new byte[head.length + json.length];
    System.arraycopy(head, 0, text, 0, head.length);
    System.arraycopy(json, 0, text, head.length, json.length);
    return new EncodedPacket(text, attachments);
  }

  /** Stateful decoder for one connection. Not thread-safe: feed it from one thread. */
  public final class Decoder {
    private final int maxAttachments;
    private SocketPacket pending;
    private int expected;
    private List<byte[]> buffers;

    public Decoder(int maxAttachments) {
      this.maxAttachments = maxAttachments;
    }

    /** Decodes the payload of an Engine.IO text message; {@code null} while attachments are awaited. */
    public SocketPacket decodeText(String s) throws ProtocolException {
      if (pending != null) {
        throw new ProtocolException("got plaintext data when reconstructing a packet");
      }
      int len = s.length();
      if (len == 0) {
        throw new ProtocolException("empty packet");
      }
      PacketType type = PacketType.fromDigit(s.charAt(0));
      if (type == null) {
        throw new ProtocolException("unknown packet type " + s.charAt(0));
      }
      int i = 1;
      int attachments = 0;
      if (type.isBinary()) {
        int dash = s.indexOf('-', i);
        if (dash < 0 || dash == i || dash - i > 3) {
          throw new ProtocolException("illegal attachments");
        }
        for (int k = i; k < dash; k++) {
          char c = s.charAt(k);
          if (c < '0' || c > '9') {
            throw new ProtocolException("illegal attachments");
          }
          attachments = attachments * 10 + (c - '0');
        }
        if (attachments > maxAttachments) {
          throw new ProtocolException("too many attachments");
        }
        i = dash + 1;
      }
      String nsp = "/";
      if (i < len && s.charAt(i) == '/') {
        int comma = s.indexOf(',', i);
        int end = comma < 0 ? len : comma;
        nsp = s.substring(i, end);
        i = comma < 0 ? len : comma + 1;
      }
      long id = SocketPacket.NO_ID;
      int idStart = i;
      while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i > idStart) {
        if (i - idStart > 15) {
          throw new ProtocolException("ack id too long");
        }
        id = Long.parseLong(s, idStart, i, 10);
      }
      JsonNode data = null;
      if (i < len) {
        try {
          data = payloadReader.readTree(s.substring(i));
        } catch (IOException e) {
          throw new ProtocolException("invalid payload");
        }
      }
      SocketPacket p = new SocketPacket(type, nsp, id, data);
      validate(p);
      if (type.isBinary() && attachments > 0) {
        pending = p;
        expected = attachments;
        buffers = new ArrayList<>(attachments);
        return null;
      }
      return p;
    }

    /** Feeds one binary frame; returns the packet once its last attachment arrived. */
    public SocketPacket decodeBinary(byte[] frame) throws ProtocolException {
      if (pending == null) {
        throw new ProtocolException("got binary data when not reconstructing a packet");
      }
      buffers.add(frame);
      if (buffers.size() < expected) {
        return null;
      }
      SocketPacket p = pending;
      List<byte[]> bufs = buffers;
      pending = null;
      buffers = null;
      return new SocketPacket(p.type(), p.nsp(), p.id(), reconstruct(p.data(), bufs));
    }

    /** True while a binary packet waits for attachments. */
    public boolean reconstructing() {
      return pending != null;
    }
  }

  private static JsonNode reconstruct(JsonNode node, List<byte[]> bufs) throws ProtocolException {
    if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        arr.set(i, reconstruct(arr.get(i), bufs));
      }
      return arr;
    }
    if (node instanceof ObjectNode obj) {
      JsonNode ph = obj.get("_placeholder");
      if (ph != null && ph.asBoolean() && obj.size() == 2) {
        JsonNode num = obj.get("num");
        if (num == null || !num.canConvertToInt() || num.asInt() < 0 || num.asInt() >= bufs.size()) {
          throw new ProtocolException("illegal attachments");
        }
        return BinaryNode.valueOf(bufs.get(num.asInt()));
      }
      for (var it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(reconstruct(e.getValue(), bufs));
      }
    }
    return node;
  }

  private static void validate(SocketPacket p) throws ProtocolException {
    JsonNode d = p.data();
    boolean ok = switch (p.type()) {
      case CONNECT -> d == null || d.isObject();
      case DISCONNECT -> d == null;
      case CONNECT_ERROR -> d != null && (d.isTextual() || d.isObject());
      case EVENT, BINARY_EVENT -> d != null && d.isArray() && !d.isEmpty() && validEventName(d.get(0));
      case ACK, BINARY_ACK -> d != null && d.isArray();
    };
    if (!ok) {
      throw new ProtocolException("invalid payload");
    }
  }

  private static boolean validEventName(JsonNode n) {
    return n.isNumber() || (n.isTextual() && !RESERVED_EVENTS.contains(n.textValue()));
  }
}
