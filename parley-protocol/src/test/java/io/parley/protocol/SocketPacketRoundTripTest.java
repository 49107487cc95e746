package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Encode then decode a few hundred random EVENT/ACK packets (seeded, so reproducible): over a
 * WebSocket (one frame each) and over polling (one payload), the decoder gives back the namespace,
 * id, type and the argument tree with every binary in place.
 */
class SocketPacketRoundTripTest {
  private static final long SEED = 20_260_4L;
  private static final int ROUNDS = 400;
  private static final List<String> NAMESPACES = List.of("/", "/admin", "/a-b_c", "/ünï", "/x/y");

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonNodeFactory nodes = mapper.getNodeFactory();
  private final SocketCodec codec = new SocketCodec(mapper);

  /** A Java value to hand to the encoder and the tree the decoder must return for it. */
  private record Sample(Object value, JsonNode expected, int binaries) {}

  private Sample value(Random r, int depth) {
    int kind = r.nextInt(depth >= 3 ? 7 : 10);
    switch (kind) {
      case 0 -> {
        return new Sample(null, nodes.nullNode(), 0);
      }
      case 1 -> {
        boolean b = r.nextBoolean();
        return new Sample(b, nodes.booleanNode(b), 0);
      }
      case 2 -> {
        int i = r.nextInt();
        return new Sample(i, nodes.numberNode(i), 0);
      }
      case 3 -> {
        long l = (r.nextBoolean() ? 1 : -1) * (Integer.MAX_VALUE + 1L + (r.nextLong() >>> 12));
        return new Sample(l, nodes.numberNode(l), 0);
      }
      case 4 -> {
        double d = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(20) - 10);
        return new Sample(d, nodes.numberNode(d), 0);
      }
      case 5 -> {
        String s = RandomText.string(r, 20, true);
        return new Sample(s, nodes.textNode(s), 0);
      }
      case 6 -> {
        byte[] b = new byte[r.nextInt(64)];
        r.nextBytes(b);
        Object v = switch (r.nextInt(3)) {
          case 0 -> b.clone();
          case 1 -> ByteBuffer.wrap(b.clone());
          default -> BinaryNode.valueOf(b.clone());
        };
        return new Sample(v, BinaryNode.valueOf(b), 1);
      }
      case 7, 8 -> {
        List<Object> list = new ArrayList<>();
        ArrayNode arr = nodes.arrayNode();
        int bins = 0;
        for (int i = r.nextInt(4); i > 0; i--) {
          Sample s = value(r, depth + 1);
          list.add(s.value());
          arr.add(s.expected());
          bins += s.binaries();
        }
        return new Sample(list, arr, bins);
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        ObjectNode obj = nodes.objectNode();
        int bins = 0;
        for (int i = r.nextInt(4); i > 0; i--) {
          String key = "k" + i + RandomText.string(r, 6, true);
          Sample s = value(r, depth + 1);
          map.put(key, s.value());
          obj.set(key, s.expected());
          bins += s.binaries();
        }
        return new Sample(map, obj, bins);
      }
    }
  }

  private static String eventName(Random r) {
    String name;
    do {
      name = RandomText.string(r, 12, true);
    } while (SocketCodec.RESERVED_EVENTS.contains(name));
    return name;
  }

  @Test
  void randomEventsAndAcksSurviveEncodeThenDecode() throws Exception {
    Random r = new Random(SEED);
    int binaryPackets = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String nsp = NAMESPACES.get(r.nextInt(NAMESPACES.size()));
      long id = r.nextInt(4) == 0 ? SocketPacket.NO_ID : (r.nextBoolean() ? r.nextInt(1000) : r.nextLong(1, 999_999_999_999_999L));
      boolean ack = r.nextInt(3) == 0;
      if (ack && id < 0) {
        id = 0;
      }
      int argc = r.nextInt(5);
      Object[] args = new Object[argc];
      ArrayNode expected = nodes.arrayNode();
      String event = eventName(r);
      if (!ack) {
        expected.add(event);
      }
      int bins = 0;
      for (int i = 0; i < argc; i++) {
        Sample s = value(r, 0);
        args[i] = s.value();
        expected.add(s.expected());
        bins += s.binaries();
      }

      EncodedPacket enc = ack ? codec.encodeAck(nsp, id, args) : codec.encodeEvent(nsp, id, event, args);

      PacketType type = ack ? (bins > 0 ? PacketType.BINARY_ACK : PacketType.ACK)
          : (bins > 0 ? PacketType.BINARY_EVENT : PacketType.EVENT);
      String header = "4" + type.digit() + (bins > 0 ? bins + "-" : "") + ("/".equals(nsp) ? "" : nsp + ",")
          + (id >= 0 ? Long.toString(id) : "");
      String text = new String(enc.text(), StandardCharsets.UTF_8);
      assertThat(text).as("round %d", round).startsWith(header);
      assertThat(text.substring(header.length())).as("round %d", round).startsWith("[");
      assertThat(enc.attachments()).as("round %d", round).hasSize(bins);
      if (bins > 0) {
        binaryPackets++;
      }

      SocketPacket expectedPacket = new SocketPacket(type, nsp, id, expected);
      assertThat(overWebSocket(enc)).as("round %d: %s", round, text).isEqualTo(expectedPacket);
      assertThat(overPolling(enc)).as("round %d (polling): %s", round, text).isEqualTo(expectedPacket);
    }
    assertThat(binaryPackets).as("the generator exercised binary packets").isGreaterThan(ROUNDS / 10);
  }

  /** One text frame then one binary frame per attachment. */
  private SocketPacket overWebSocket(EncodedPacket enc) throws ProtocolException {
    SocketCodec.Decoder decoder = codec.new Decoder(100);
    EnginePacket.Text frame = EngineCodec.decodeText(new String(enc.text(), StandardCharsets.UTF_8));
    assertThat(frame.type()).isEqualTo(EngineType.MESSAGE);
    SocketPacket p = decoder.decodeText(frame.data());
    for (byte[] a : enc.attachments()) {
      assertThat(p).isNull();
      p = decoder.decodeBinary(a);
    }
    assertThat(decoder.reconstructing()).isFalse();
    return p;
  }

  /** The same frames joined into one polling payload, attachments as base64. */
  private SocketPacket overPolling(EncodedPacket enc) throws ProtocolException {
    List<byte[]> frames = new ArrayList<>();
    List<Boolean> binary = new ArrayList<>();
    frames.add(enc.text());
    binary.add(false);
    for (byte[] a : enc.attachments()) {
      frames.add(a);
      binary.add(true);
    }
    String body = new String(EngineCodec.encodePayload(frames, binary), StandardCharsets.UTF_8);
    List<EnginePacket> packets = EngineCodec.decodePayload(body);
    assertThat(packets).hasSize(enc.frameCount());

    SocketCodec.Decoder decoder = codec.new Decoder(100);
    SocketPacket p = null;
    for (EnginePacket ep : packets) {
      assertThat(p).isNull();
      p = switch (ep) {
        case EnginePacket.Text t -> decoder.decodeText(t.data());
        case EnginePacket.Binary b -> decoder.decodeBinary(b.data());
      };
    }
    return p;
  }
}
