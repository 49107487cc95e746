package io.parley.protocol.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.protocol.PacketType;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generators of Socket.IO values, valid packets and hostile text, all driven by a {@link FuzzInput}. */
public final class Generators {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Generators() {}

  /** A value to hand to the encoder (a JSON tree or plain Java objects) and the tree a decoder must give back. */
  public record Value(Object value, JsonNode expected, int binaries) {}

  /** A valid packet: what to pass to {@code SocketCodec.encode} and the packet a decoder must return. */
  public record Packet(PacketType type, String nsp, long id, Object data, SocketPacket expected) {
    public int attachments() {
      return count(expected.data());
    }
  }

  private static int count(JsonNode n) {
    if (n == null) {
      return 0;
    }
    if (n.isBinary()) {
      return 1;
    }
    int c = 0;
    for (JsonNode child : n) {
      c += count(child);
    }
    return c;
  }

  /** A namespace: "/" half the time, else "/" and text without ',' or the polling separator. */
  public static String namespace(FuzzInput in) {
    if (in.bool()) {
      return "/";
    }
    String rest = in.text(12, false).replace(',', '.').replace('\u001e', '.');
    return "/" + rest;
  }

  /** An ack id as the decoder accepts it: up to 15 digits. */
  public static long ackId(FuzzInput in) {
    return switch (in.intIn(0, 3)) {
      case 0 -> 0;
      case 1 -> in.intIn(1, 999);
      case 2 -> in.longIn(1000, Integer.MAX_VALUE);
      default -> in.longIn(0, 999_999_999_999_999L);
    };
  }

  /** An event name a client may send: a non-reserved string, or a number. */
  public static Value eventName(FuzzInput in) {
    if (in.chance(10)) {
      int n = in.intIn(0, 100_000);
      return new Value(NODES.numberNode(n), NODES.numberNode(n), 0);
    }
    String name = in.text(16, false);
    if (SocketCodec.RESERVED_EVENTS.contains(name)) {
      name = name + "!";
    }
    return new Value(name, NODES.textNode(name), 0);
  }

  /**
   * Any JSON value, binaries included when {@code binary}; nested at most {@code depth} more levels.
   * Numbers are generated in the narrowest type the decoder will read them back as.
   */
  public static Value value(FuzzInput in, int depth, boolean binary) {
    int kinds = depth <= 0 ? 8 : 11;
    int kind = in.intIn(0, kinds - 1);
    switch (kind) {
      case 0 -> {
        return new Value(in.bool() ? null : NODES.nullNode(), NODES.nullNode(), 0);
      }
      case 1 -> {
        boolean b = in.bool();
        return new Value(b, NODES.booleanNode(b), 0);
      }
      case 2 -> {
        int i = (int) in.longIn(Integer.MIN_VALUE, Integer.MAX_VALUE);
        return new Value(in.bool() ? (Object) i : NODES.numberNode(i), NODES.numberNode(i), 0);
      }
      case 3 -> {
        long l = in.longIn(Integer.MAX_VALUE + 1L, Long.MAX_VALUE / 2);
        l = in.bool() ? l : -l - 1; // below Integer.MIN_VALUE: a decoder reads it back as a long
        return new Value(in.bool() ? (Object) l : NODES.numberNode(l), NODES.numberNode(l), 0);
      }
      case 4 -> {
        double d = switch (in.intIn(0, 4)) {
          case 0 -> -0.0;
          case 1 -> Double.MIN_VALUE * in.intIn(1, 1000);
          case 2 -> Double.MAX_VALUE / in.intIn(1, 1000);
          default -> Double.longBitsToDouble(in.longIn(0, 0x7fefffffffffffffL)) * (in.bool() ? 1 : -1);
        };
        return new Value(in.bool() ? (Object) d : NODES.numberNode(d), NODES.numberNode(d), 0);
      }
      case 5 -> {
        BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(in.longIn(1, Long.MAX_VALUE / 2)))
            .multiply(BigInteger.valueOf(in.intIn(1, 1_000_000)));
        if (in.bool()) {
          big = big.negate().subtract(BigInteger.TWO);
        }
        return new Value(in.bool() ? big : NODES.numberNode(big), NODES.numberNode(big), 0);
      }
      case 6 -> {
        String s = in.text(24, false);
        return new Value(in.bool() ? s : NODES.textNode(s), NODES.textNode(s), 0);
      }
      case 7 -> {
        if (!binary) {
          String s = in.text(4, false);
          return new Value(s, NODES.textNode(s), 0);
        }
        byte[] b = in.bytes(40);
        Object v = switch (in.intIn(0, 2)) {
          case 0 -> b.clone();
          case 1 -> ByteBuffer.wrap(b.clone());
          default -> BinaryNode.valueOf(b.clone());
        };
        return new Value(v, BinaryNode.valueOf(b), 1);
      }
      case 8, 9 -> {
        int n = in.intIn(0, 4);
        boolean asTree = in.bool();
        List<Object> list = new ArrayList<>();
        ArrayNode tree = NODES.arrayNode();
        ArrayNode expected = NODES.arrayNode();
        int bins = 0;
        for (int i = 0; i < n; i++) {
          Value v = value(in, depth - 1, binary);
          if (asTree && v.value() != null && !(v.value() instanceof JsonNode)) {
            v = new Value(v.expected().deepCopy(), v.expected(), v.binaries());
          }
          list.add(v.value());
          tree.add(v.value() instanceof JsonNode j ? j : NODES.nullNode());
          expected.add(v.expected());
          bins += v.binaries();
        }
        return new Value(asTree ? tree : list, expected, bins);
      }
      default -> {
        int n = in.intIn(0, 4);
        boolean asTree = in.bool();
        Map<String, Object> map = new LinkedHashMap<>();
        ObjectNode tree = NODES.objectNode();
        ObjectNode expected = NODES.objectNode();
        int bins = 0;
        for (int i = 0; i < n; i++) {
          String key = in.text(8, false);
          if (key.equals("_placeholder")) {
            key = "placeholder"; // {"_placeholder":true,"num":N} would be read back as an attachment
          }
          Value v = value(in, depth - 1, binary);
          if (asTree && v.value() != null && !(v.value() instanceof JsonNode)) {
            v = new Value(v.expected().deepCopy(), v.expected(), v.binaries());
          }
          if (expected.has(key)) {
            bins -= count(expected.get(key));
          }
          map.put(key, v.value());
          tree.set(key, v.value() instanceof JsonNode j ? j : NODES.nullNode());
          expected.set(key, v.expected());
          bins += v.binaries();
        }
        return new Value(asTree ? tree : map, expected, bins);
      }
    }
  }

  /** A valid packet of any type, with what the decoder must give back for it. */
  public static Packet packet(FuzzInput in) {
    String nsp = namespace(in);
    switch (in.intIn(0, 9)) {
      case 0 -> {
        Value auth = in.bool() ? null : object(in);
        return packet(PacketType.CONNECT, nsp, -1, auth);
      }
      case 1 -> {
        return packet(PacketType.DISCONNECT, nsp, -1, null);
      }
      case 2 -> {
        Value err = in.bool() ? value(in, 0, false) : object(in);
        if (!err.expected().isTextual() && !err.expected().isObject()) {
          String s = in.text(10, false);
          err = new Value(s, NODES.textNode(s), 0);
        }
        return packet(PacketType.CONNECT_ERROR, nsp, -1, err);
      }
      case 3, 4 -> {
        return packet(PacketType.ACK, nsp, ackId(in), args(in, null));
      }
      default -> {
        long id = in.bool() ? -1 : ackId(in);
        return packet(PacketType.EVENT, nsp, id, args(in, eventName(in)));
      }
    }
  }

  /** An EVENT packet on {@code nsp} named {@code event} with random arguments (binaries included). */
  public static Packet event(FuzzInput in, String nsp, String event, long id) {
    return packet(PacketType.EVENT, nsp, id, args(in, new Value(event, NODES.textNode(event), 0)));
  }

  private static Value object(FuzzInput in) {
    Value v;
    do {
      v = value(in, 2, false);
    } while (!v.expected().isObject() && !in.exhausted());
    if (!v.expected().isObject()) {
      return new Value(Map.of(), NODES.objectNode(), 0);
    }
    return v;
  }

  /** An argument array, {@code [event, ...args]} for an event or {@code [...args]} for an ack. */
  private static Value args(FuzzInput in, Value event) {
    int n = in.intIn(0, 4);
    List<Object> list = new ArrayList<>();
    ArrayNode expected = NODES.arrayNode();
    if (event != null) {
      list.add(event.value());
      expected.add(event.expected());
    }
    int bins = 0;
    for (int i = 0; i < n; i++) {
      Value v = value(in, 3, true);
      list.add(v.value());
      expected.add(v.expected());
      bins += v.binaries();
    }
    return new Value(list, expected, bins);
  }

  private static Packet packet(PacketType type, String nsp, long id, Value data) {
    PacketType wire = type;
    if (data != null && count(data.expected()) > 0) {
      wire = type == PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
    }
    return new Packet(type, nsp, id, data == null ? null : data.value(),
        new SocketPacket(wire, nsp, id, data == null ? null : data.expected()));
  }

  private static final List<String> TOKENS = List.of(
      "0", "1", "2", "3", "4", "5", "6", "7", "9", "40", "41", "42", "43", "44", "45", "46", "451-", "4510-", "4599-",
      "1-", "0-", "-", "/", "/admin", ",", "[", "]", "{", "}", "\"", "\\", ":", "null", "true", "1e999", "-0",
      "{\"_placeholder\":true,\"num\":0}", "{\"_placeholder\":true,\"num\":99}", "{\"_placeholder\":true,\"num\":-1}",
      "{\"_placeholder\":true,\"num\":\"0\"}", "_placeholder", "\"disconnect\"", "\"connect\"", "\"message\"",
      "123456789012345", "1234567890123456", "99999999999999999999999", "\u001e", "b", "bAAAA", "b!!", "b====",
      "\r\n", "\u0000", "\ud800", "\udc00", "\ud83d\ude00", "\u00ff", "[[[[[[[[[[[[[[[[", "]]]]]]]]", "{\"a\":",
      "2probe", "3probe");

  /**
   * Text a hostile or broken client could send: raw bytes read as UTF-8 or Latin-1, random text
   * (unpaired surrogates included), or a valid encoded packet mutated by a few edits (insertions of
   * protocol tokens, deletions, duplications, truncation). {@code codec} encodes the valid ones.
   */
  public static String hostileText(FuzzInput in, SocketCodec codec) {
    switch (in.intIn(0, 5)) {
      case 0 -> {
        return new String(in.bytes(64), java.nio.charset.StandardCharsets.UTF_8);
      }
      case 1 -> {
        return new String(in.bytes(64), java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      case 2 -> {
        return in.text(64, true);
      }
      default -> {
        Packet p = packet(in);
        String s = new String(codec.encode(p.type(), p.nsp(), p.id(), p.data()).text(),
            java.nio.charset.StandardCharsets.UTF_8).substring(1); // the Engine.IO "4" off: a Socket.IO packet
        return mutate(in, s);
      }
    }
  }

  /** Up to 4 random edits of {@code s}. */
  public static String mutate(FuzzInput in, String s) {
    StringBuilder sb = new StringBuilder(s);
    int edits = in.intIn(0, 4);
    for (int e = 0; e < edits; e++) {
      int at = in.intIn(0, sb.length());
      switch (in.intIn(0, 4)) {
        case 0, 1 -> sb.insert(at, in.pick(TOKENS));
        case 2 -> sb.delete(at, Math.min(sb.length(), at + in.intIn(1, 8)));
        case 3 -> {
          int end = Math.min(sb.length(), at + in.intIn(1, 16));
          sb.insert(at, sb.substring(at, end));
        }
        default -> sb.setLength(at);
      }
    }
    return sb.toString();
  }
}
