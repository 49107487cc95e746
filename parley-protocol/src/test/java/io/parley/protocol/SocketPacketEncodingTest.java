package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoding Socket.IO packets: exact wire text (with the Engine.IO {@code 4}) and attachments. */
class SocketPacketEncodingTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final SocketCodec codec = new SocketCodec(mapper);

  private static String text(EncodedPacket p) {
    return new String(p.text(), StandardCharsets.UTF_8);
  }

  @Test
  void eventOnTheMainNamespaceIsTheSpecExamplePrefixedByTheEngineMessageType() {
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "foo");

    assertThat(text(p)).isEqualTo("42[\"foo\"]");
    assertThat(p.attachments()).isEmpty();
    assertThat(p.frameCount()).isEqualTo(1);
  }

  @Test
  void eventOnAnotherNamespaceWritesTheNamespaceAndAComma() {
    assertThat(text(codec.encodeEvent("/admin", SocketPacket.NO_ID, "bar"))).isEqualTo("42/admin,[\"bar\"]");
  }

  @Test
  void eventWithAnAckIdWritesTheIdBeforeThePayload() {
    assertThat(text(codec.encodeEvent("/", 12, "foo"))).isEqualTo("4212[\"foo\"]");
  }

  @Test
  void ackOnANamespaceWritesNamespaceThenId() {
    assertThat(text(codec.encodeAck("/admin", 13, "bar"))).isEqualTo("43/admin,13[\"bar\"]");
  }

  @Test
  void ackWithoutArgumentsIsAnEmptyArray() {
    assertThat(text(codec.encodeAck("/", 0))).isEqualTo("430[]");
  }

  @Test
  void eventArgumentsAreSerialisedWithTheMapper() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("3", List.of(true));
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "message-back", 1, "2", obj, null);

    assertThat(text(p)).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]},null]");
  }

  @Test
  void textIsUtf8() {
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "héllo", "✓ ünï");

    assertThat(p.text()).isEqualTo("42[\"héllo\",\"✓ ünï\"]".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void charactersOutsideTheBmpSurviveAsValidJson() throws Exception {
    // Jackson writes a surrogate pair as two backslash-u escapes where JSON.stringify writes raw UTF-8;
    // both parse to the same string.
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "emoji", "\uD83D\uDE00");
    String text = new String(p.text(), StandardCharsets.UTF_8);

    assertThat(text).startsWith("42[");
    assertThat(mapper.readTree(text.substring(2)).get(1).textValue()).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void byteArrayArgumentSwitchesEventToBinaryEventWithOnePlaceholder() {
    byte[] bytes = {1, 2, 3};
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "baz", bytes);

    assertThat(text(p)).isEqualTo("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.attachments()).containsExactly(new byte[] {1, 2, 3});
    assertThat(p.frameCount()).isEqualTo(2);
  }

  @Test
  void byteArrayArgumentSwitchesAckToBinaryAckKeepingTheId() {
    EncodedPacket p = codec.encodeAck("/", 15, "bar", new byte[] {9});

    assertThat(text(p)).isEqualTo("461-15[\"bar\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.attachments()).containsExactly(new byte[] {9});
  }

  @Test
  void binaryPacketOnANamespaceWritesCountThenNamespaceThenId() {
    EncodedPacket p = codec.encodeEvent("/admin", 7, "up", new byte[] {1}, new byte[] {2});

    assertThat(text(p)).isEqualTo(
        "452-/admin,7[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(p.attachments()).containsExactly(new byte[] {1}, new byte[] {2});
  }

  @Test
  void genericEncodeAlsoSwitchesEventAndAckWhenThePayloadHasBinary() {
    EncodedPacket event = codec.encode(PacketType.EVENT, "/", SocketPacket.NO_ID, List.of("e", new byte[] {5}));
    EncodedPacket ack = codec.encode(PacketType.ACK, "/", 3, List.of(new byte[] {6}));

    assertThat(text(event)).isEqualTo("451-[\"e\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(text(ack)).isEqualTo("461-3[{\"_placeholder\":true,\"num\":0}]");
  }

  @Test
  void heapByteBufferIsAnAttachmentHonouringPositionAndLimit() {
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4}, 1, 3);

    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "b", buf);

    assertThat(text(p)).isEqualTo("451-[\"b\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.attachments()).containsExactly(new byte[] {1, 2, 3});
  }

  @Test
  void directByteBufferIsAnAttachment() {
    ByteBuffer buf = ByteBuffer.allocateDirect(4).put(new byte[] {4, 3, 2, 1}).flip();

    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "b", buf);

    assertThat(text(p)).isEqualTo("451-[\"b\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.attachments()).containsExactly(new byte[] {4, 3, 2, 1});
  }

  @Test
  void binaryNodeInsideAJsonTreeIsAnAttachment() {
    ObjectNode tree = mapper.createObjectNode();
    tree.put("name", "x");
    tree.set("blob", BinaryNode.valueOf(new byte[] {7, 7}));

    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "tree", tree);

    assertThat(text(p)).isEqualTo("451-[\"tree\",{\"name\":\"x\",\"blob\":{\"_placeholder\":true,\"num\":0}}]");
    assertThat(p.attachments()).containsExactly(new byte[] {7, 7});
  }

  record Upload(String name, byte[] head, List<byte[]> chunks) {}

  @Test
  void nestedBinariesAreNumberedDepthFirstInSerialisationOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("a", new byte[] {1});
    inner.put("list", List.of(new byte[] {2}, Map.of("deep", new byte[] {3})));
    Upload upload = new Upload("f", new byte[] {4}, List.of(new byte[] {5}, new byte[] {6}));

    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "nested", inner, upload, new byte[] {7});

    assertThat(text(p)).isEqualTo("457-[\"nested\","
        + "{\"a\":{\"_placeholder\":true,\"num\":0},"
        + "\"list\":[{\"_placeholder\":true,\"num\":1},{\"deep\":{\"_placeholder\":true,\"num\":2}}]},"
        + "{\"name\":\"f\",\"head\":{\"_placeholder\":true,\"num\":3},"
        + "\"chunks\":[{\"_placeholder\":true,\"num\":4},{\"_placeholder\":true,\"num\":5}]},"
        + "{\"_placeholder\":true,\"num\":6}]");
    assertThat(p.attachments()).containsExactly(
        new byte[] {1}, new byte[] {2}, new byte[] {3}, new byte[] {4}, new byte[] {5}, new byte[] {6}, new byte[] {7});
  }

  @Test
  void attachmentsAreCopiesNotViewsOfTheCallersArrays() {
    byte[] bytes = {1, 2, 3};
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "b", (Object) bytes);

    Arrays.fill(bytes, (byte) 0);

    assertThat(p.attachments().get(0)).containsExactly(1, 2, 3);
  }

  @Test
  void emptyByteArrayIsStillAnAttachment() {
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "empty", (Object) new byte[0]);

    assertThat(text(p)).isEqualTo("451-[\"empty\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.attachments()).singleElement().satisfies(a -> assertThat(a).isEmpty());
  }

  @Test
  void disconnectOnANamespaceHasNoPayload() {
    assertThat(text(codec.encode(PacketType.DISCONNECT, "/admin", SocketPacket.NO_ID, null))).isEqualTo("41/admin,");
  }

  @Test
  void disconnectOnTheMainNamespaceIsJustTheTypes() {
    assertThat(text(codec.encode(PacketType.DISCONNECT, "/", SocketPacket.NO_ID, null))).isEqualTo("41");
  }

  @Test
  void connectReplyCarriesTheSocketId() {
    assertThat(text(codec.encode(PacketType.CONNECT, "/", SocketPacket.NO_ID, Map.of("sid", "abc"))))
        .isEqualTo("40{\"sid\":\"abc\"}");
    assertThat(text(codec.encode(PacketType.CONNECT, "/custom", SocketPacket.NO_ID, Map.of("sid", "abc"))))
        .isEqualTo("40/custom,{\"sid\":\"abc\"}");
  }

  @Test
  void connectErrorForAnUnknownNamespaceIsTheSpecText() {
    EncodedPacket p = codec.encode(PacketType.CONNECT_ERROR, "/random", SocketPacket.NO_ID,
        Map.of("message", "Invalid namespace"));

    assertThat(text(p)).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
  }

  @Test
  void eventWithoutBinaryStaysAPlainEvent() {
    EncodedPacket p = codec.encodeEvent("/", SocketPacket.NO_ID, "text", "AQID", List.of(1, 2, 3));

    assertThat(text(p)).isEqualTo("42[\"text\",\"AQID\",[1,2,3]]");
    assertThat(p.attachments()).isEmpty();
  }
}
