package io.parley.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
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

  public SocketCodec(ObjectMapper mapper) {
    this.mapper = mapper;
    this.factory = mapper.getFactory();
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
        writeValue(g, a);
      }
      g.writeEndArray();
    });
  }

  /** Encodes an ACK (or BINARY_ACK) whose payload is the array of {@code args}. */
  public EncodedPacket encodeAck(String nsp, long id, Object... args) {
    return encode(PacketType.ACK, nsp, id, g -> {
      g.writeStartArray();
      for (Object a : args) {
        writeValue(g, a);
      }
      g.writeEndArray();
    });
  }

  /** Encodes any packet; {@code data} null means no payload. EVENT/ACK switch to BINARY_* as needed. */
  public EncodedPacket encode(PacketType type, String nsp, long id, Object data) {
    return encode(type, nsp, id, data == null ? null : g -> writeValue(g, data));
  }

  /**
   * Writes a payload value. JSON trees, strings, numbers, booleans, byte arrays and arrays/lists of
   * them are written directly (the common case when a handler passes on what it received); any
   * other object goes through the mapper. Binary values reach {@code writeBinary} either way.
   */
  private void writeValue(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String str -> g.writeString(str);
      case JsonNode n -> writeNode(g, n);
      case Object[] arr -> {
        g.writeStartArray();
        for (Object o : arr) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Boolean b -> g.writeBoolean(b);
      case Double d -> g.writeNumber(d);
      case byte[] b -> g.writeBinary(b);
      default -> mapper.writeValue(g, v);
    }
  }

  private void writeNode(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          writeNode(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (int i = 0; i < n.size(); i++) {
          writeNode(g, n.get(i));
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case DOUBLE -> g.writeNumber(n.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case BINARY -> g.writeBinary(n.binaryValue());
      case NULL, MISSING -> g.writeNull();
      case POJO -> mapper.writeValue(g, ((POJONode) n).getPojo());
    }
  }

  /** Parses one JSON value filling the whole range, as JSON.parse does (trailing data is an error). */
  private JsonNode readPayload(byte[] b, int off, int len, int maxDepth) throws IOException {
    try (JsonParser p = factory.createParser(b, off, len)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new JsonParseException(p, "no content");
      }
      JsonNode n = readNode(p, t, maxDepth);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "trailing content");
      }
      return n;
    }
  }

  /** The default deepest nesting accepted in a payload. */
  public static final int DEFAULT_MAX_DEPTH = 100;

  /** A payload nested deeper than allowed. */
  private static final class TooDeep extends IOException {
    TooDeep() {
      super("nested too deeply", null);
    }
  }

  private JsonNode readNode(JsonParser p, JsonToken t, int depthLeft) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT -> {
        if (depthLeft <= 0) {
          throw new TooDeep();
        }
        ObjectNode o = nodes.objectNode();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, readNode(p, p.nextToken(), depthLeft - 1));
        }
        return o;
      }
      case START_ARRAY -> {
        if (depthLeft <= 0) {
          throw new TooDeep();
        }
        ArrayNode a = nodes.arrayNode();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new JsonParseException(p, "unexpected end");
          }
          a.add(readNode(p, t, depthLeft - 1));
        }
        return a;
      }
      case VALUE_STRING -> {
        return nodes.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> nodes.numberNode(p.getIntValue());
          case LONG -> nodes.numberNode(p.getLongValue());
          default -> nodes.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return nodes.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return nodes.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return nodes.booleanNode(false);
      }
      case VALUE_NULL -> {
        return nodes.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private EncodedPacket encode(PacketType type, String nsp, long id, Body body) {
    List<byte[]> attachments = new ArrayList<>(0);
    byte[] json = null;
    if (body != null) {
      // The builder's block comes from the thread's buffer recycler and must be handed back with
      // release(): its close() does nothing, and a block never released is a fresh 2 KB per packet.
      BufferRecycler recycler = factory._getBufferRecycler();
      ByteArrayBuilder buf = new ByteArrayBuilder(recycler, 128);
      try {
        try (JsonGenerator g = new BinaryCapturingGenerator(factory.createGenerator(buf), attachments)) {
          body.write(g);
        }
        json = buf.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialise payload", e);
      } finally {
        buf.release();
        recycler.releaseToPool();
      }
    }
    if (!attachments.isEmpty()) {
      if (type == PacketType.EVENT) {
        type = PacketType.BINARY_EVENT;
      } else if (type == PacketType.ACK) {
        type = PacketType.BINARY_ACK;
      }
    }
    byte[] nspBytes = "/".equals(nsp) ? null : nsp.getBytes(StandardCharsets.UTF_8);
    String count = type.isBinary() ? Integer.toString(attachments.size()) : null;
    String ack = id >= 0 ? Long.toString(id) : null;
    int headLength = 2 + (count == null ? 0 : count.length() + 1) + (nspBytes == null ? 0 : nspBytes.length + 1)
        + (ack == null ? 0 : ack.length());
    byte[] text = new byte[headLength + (json == null ? 0 : json.length)];
    int i = 0;
    text[i++] = '4';
    text[i++] = (byte) type.digit();
    if (count != null) {
      i = ascii(count, text, i);
      text[i++] = '-';
    }
    if (nspBytes != null) {
      System.arraycopy(nspBytes, 0, text, i, nspBytes.length);
      i += nspBytes.length;
      text[i++] = ',';
    }
    if (ack != null) {
      i = ascii(ack, text, i);
    }
    if (json != null) {
      System.arraycopy(json, 0, text, i, json.length);
    }
    return new EncodedPacket(text, attachments);
  }

  private static int ascii(String digits, byte[] out, int at) {
    for (int k = 0; k < digits.length(); k++) {
      out[at++] = (byte) digits.charAt(k);
    }
    return at;
  }

  /** Stateful decoder for one connection. Not thread-safe: feed it from one thread. */
  public final class Decoder {
    private final int maxAttachments;
    private final int maxDepth;
    private SocketPacket pending;
    private int expected;
    private List<byte[]> buffers;

    public Decoder(int maxAttachments) {
      this(maxAttachments, DEFAULT_MAX_DEPTH);
    }

    /** A decoder refusing more than {@code maxAttachments} attachments or payloads nested deeper than {@code maxDepth}. */
    public Decoder(int maxAttachments, int maxDepth) {
      this.maxAttachments = maxAttachments;
      this.maxDepth = maxDepth;
    }

    /** Decodes the payload of an Engine.IO text message; {@code null} while attachments are awaited. */
    public SocketPacket decodeText(String s) throws ProtocolException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return decodeText(b, 0, b.length);
    }

    /**
     * Decodes the UTF-8 payload of an Engine.IO text message held in {@code b[off, off+len)} (the
     * bytes are not kept); {@code null} while attachments are awaited.
     */
    public SocketPacket decodeText(byte[] b, int off, int len) throws ProtocolException {
      if (pending != null) {
        throw new ProtocolException("got plaintext data when reconstructing a packet");
      }
      if (len == 0) {
        throw new ProtocolException("empty packet");
      }
      int end = off + len;
      PacketType type = PacketType.fromDigit((char) b[off]);
      if (type == null) {
        // a lead byte may announce more bytes than the frame has left (invalid UTF-8): stay inside it
        throw new ProtocolException("unknown packet type "
            + new String(b, off, Math.min(firstCharLength(b[off]), len), StandardCharsets.UTF_8));
      }
      int i = off + 1;
      int attachments = 0;
      if (type.isBinary()) {
        int dash = indexOf(b, (byte) '-', i, end);
        if (dash < 0 || dash == i || dash - i > 3) {
          throw new ProtocolException("illegal attachments");
        }
        for (int k = i; k < dash; k++) {
          byte c = b[k];
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
      if (i < end && b[i] == '/') {
        int comma = indexOf(b, (byte) ',', i, end);
        int nspEnd = comma < 0 ? end : comma;
        nsp = new String(b, i, nspEnd - i, StandardCharsets.UTF_8);
        i = comma < 0 ? end : comma + 1;
      }
      long id = SocketPacket.NO_ID;
      int idStart = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i > idStart) {
        if (i - idStart > 15) {
          throw new ProtocolException("ack id too long");
        }
        long v = 0;
        for (int k = idStart; k < i; k++) {
          v = v * 10 + (b[k] - '0');
        }
        id = v;
      }
      JsonNode data = null;
      if (i < end) {
        try {
          data = readPayload(b, i, end - i, maxDepth);
        } catch (TooDeep e) {
          throw new ProtocolException("payload nested too deeply");
        } catch (IOException | RuntimeException e) {
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

  private static int indexOf(byte[] b, byte c, int from, int end) {
    for (int k = from; k < end; k++) {
      if (b[k] == c) {
        return k;
      }
    }
    return -1;
  }

  /** Length of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte). */
  private static int firstCharLength(byte lead) {
    int u = lead & 0xff;
    return u < 0xc0 ? 1 : u < 0xe0 ? 2 : u < 0xf0 ? 3 : 4;
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
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
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
