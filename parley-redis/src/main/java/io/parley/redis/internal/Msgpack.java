package io.parley.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * MessagePack as written and read by notepack.io, the codec of {@code @socket.io/redis-adapter}:
 * Jackson trees in and out, {@code BinaryNode} as {@code bin}, integers in their smallest width.
 * Every int, float, str and bin width and nil are decoded; the timestamp extension (−1, a JS
 * {@code Date}) becomes its ISO-8601 text, as a client would see after JSON; any other extension
 * becomes {@code [type, bin]}, as notepack.io returns it.
 *
 * <p>msgpack-core reaches for {@code sun.misc.Unsafe} unless told otherwise, which recent JDKs
 * warn about (and will refuse); this class selects its portable buffer
 * ({@code -Dmsgpack.universal-buffer=true}) unless the property is already set.
 */
public final class Msgpack {
  static {
    if (System.getProperty("msgpack.universal-buffer") == null) {
      System.setProperty("msgpack.universal-buffer", "true");
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper(new MessagePackFactory());
  private static final DateTimeFormatter JS_ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte TIMESTAMP = -1;

  private Msgpack() {}

  /** Encodes a tree. */
  public static byte[] encode(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode as MessagePack", e);
    }
  }

  /** Decodes one MessagePack value. */
  public static JsonNode decode(byte[] bytes) throws IOException {
    JsonNode n = MAPPER.readTree(bytes);
    return n == null ? JsonNodeFactory.instance.missingNode() : replaceExtensions(n);
  }

  /** Whether the tree holds a binary value anywhere (socket.io's {@code hasBinary}). */
  public static boolean hasBinary(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (node.isBinary()) {
      return true;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (hasBinary(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode replaceExtensions(JsonNode n) {
    if (n instanceof POJONode p && p.getPojo() instanceof MessagePackExtensionType ext) {
      return extension(ext);
    }
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode c = a.get(i);
        JsonNode r = replaceExtensions(c);
        if (r != c) {
          a.set(i, r);
        }
      }
    } else if (n instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode r = replaceExtensions(e.getValue());
        if (r != e.getValue()) {
          e.setValue(r);
        }
      }
    }
    return n;
  }

  private static JsonNode extension(MessagePackExtensionType ext) {
    byte[] d = ext.getData();
    if (ext.getType() == TIMESTAMP) {
      Instant t = timestamp(d);
      if (t != null) {
        return JsonNodeFactory.instance.textNode(JS_ISO.format(t));
      }
    }
    ArrayNode pair = JsonNodeFactory.instance.arrayNode();
    pair.add(ext.getType());
    pair.add(d);
    return pair;
  }

  /** The msgpack timestamp extension in its 32, 64 and 96-bit forms. */
  static Instant timestamp(byte[] d) {
    ByteBuffer b = ByteBuffer.wrap(d);
    return switch (d.length) {
      case 4 -> Instant.ofEpochSecond(Integer.toUnsignedLong(b.getInt()));
      case 8 -> {
        long v = b.getLong();
        yield Instant.ofEpochSecond(v & 0x3_FFFF_FFFFL, v >>> 34);
      }
      case 12 -> {
        long nanos = Integer.toUnsignedLong(b.getInt());
        yield Instant.ofEpochSecond(b.getLong(), nanos);
      }
      default -> null;
    };
  }
}
