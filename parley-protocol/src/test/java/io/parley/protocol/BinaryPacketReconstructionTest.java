package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding BINARY_EVENT / BINARY_ACK: placeholders become BinaryNodes once every frame arrived. */
class BinaryPacketReconstructionTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final SocketCodec codec = new SocketCodec(mapper);
  private final SocketCodec.Decoder decoder = codec.new Decoder(10);

  @Test
  void specBinaryEventIsCompletedByItsAttachment() throws Exception {
    assertThat(decoder.decodeText("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]")).isNull();
    assertThat(decoder.reconstructing()).isTrue();

    SocketPacket p = decoder.decodeBinary(new byte[] {1, 2, 3});

    assertThat(decoder.reconstructing()).isFalse();
    assertThat(p.type()).isEqualTo(PacketType.BINARY_EVENT);
    assertThat(p.nsp()).isEqualTo("/");
    assertThat(p.hasId()).isFalse();
    assertThat(p.data()).hasSize(2);
    assertThat(p.data().get(0).textValue()).isEqualTo("baz");
    assertThat(p.data().get(1)).isInstanceOf(BinaryNode.class);
    assertThat(p.data().get(1).binaryValue()).containsExactly(1, 2, 3);
  }

  @Test
  void specBinaryAckIsCompletedByItsAttachment() throws Exception {
    assertThat(decoder.decodeText("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]")).isNull();

    SocketPacket p = decoder.decodeBinary(new byte[] {4});

    assertThat(p.type()).isEqualTo(PacketType.BINARY_ACK);
    assertThat(p.id()).isEqualTo(15);
    assertThat(p.data()).isEqualTo(mapper.createArrayNode().add("bar").add(BinaryNode.valueOf(new byte[] {4})));
  }

  @Test
  void severalAttachmentsArriveOneFrameAtATimeAndAreMatchedByNum() throws Exception {
    String header = "53-/up,9[\"files\",{\"_placeholder\":true,\"num\":2},"
        + "{\"meta\":{\"thumb\":{\"_placeholder\":true,\"num\":0}}},[{\"_placeholder\":true,\"num\":1}]]";
    assertThat(decoder.decodeText(header)).isNull();

    assertThat(decoder.decodeBinary(new byte[] {10})).isNull();
    assertThat(decoder.reconstructing()).isTrue();
    assertThat(decoder.decodeBinary(new byte[] {11})).isNull();
    SocketPacket p = decoder.decodeBinary(new byte[] {12});

    assertThat(p.nsp()).isEqualTo("/up");
    assertThat(p.id()).isEqualTo(9);
    JsonNode d = p.data();
    assertThat(d.get(1).binaryValue()).containsExactly(12);
    assertThat(d.get(2).get("meta").get("thumb").binaryValue()).containsExactly(10);
    assertThat(d.get(3).get(0).binaryValue()).containsExactly(11);
  }

  @Test
  void theSameAttachmentMayBeReferencedTwice() throws Exception {
    decoder.decodeText("51-[\"twice\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]");

    SocketPacket p = decoder.decodeBinary(new byte[] {5});

    assertThat(p.data().get(1).binaryValue()).containsExactly(5);
    assertThat(p.data().get(2).binaryValue()).containsExactly(5);
  }

  @Test
  void conformanceSuiteBinaryEventWithTwoAttachments() throws Exception {
    EnginePacket.Text eio = EngineCodec.decodeText(
        "452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(decoder.decodeText(eio.data())).isNull();
    assertThat(decoder.decodeBinary(new byte[] {1, 2, 3})).isNull();
    SocketPacket p = decoder.decodeBinary(new byte[] {4, 5, 6});

    assertThat(p.data()).isEqualTo(mapper.createArrayNode().add("message")
        .add(BinaryNode.valueOf(new byte[] {1, 2, 3})).add(BinaryNode.valueOf(new byte[] {4, 5, 6})));
  }

  @Test
  void objectsThatAreNotPlaceholdersAreLeftAlone() throws Exception {
    decoder.decodeText("51-[\"x\",{\"_placeholder\":false,\"num\":0},{\"_placeholder\":true,\"num\":0}]");

    SocketPacket p = decoder.decodeBinary(new byte[] {1});

    assertThat(p.data().get(1)).isEqualTo(mapper.readTree("{\"_placeholder\":false,\"num\":0}"));
    assertThat(p.data().get(2).isBinary()).isTrue();
  }

  @Test
  void placeholderIndexPastTheAttachmentsIsIllegal() throws Exception {
    decoder.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":1}]");

    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
        .isInstanceOf(ProtocolException.class).hasMessage("illegal attachments");
    assertThat(decoder.reconstructing()).isFalse();
  }

  @Test
  void negativePlaceholderIndexIsIllegal() throws Exception {
    decoder.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":-1}]");

    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
        .isInstanceOf(ProtocolException.class).hasMessage("illegal attachments");
  }

  @Test
  void nonNumericPlaceholderIndexIsIllegal() throws Exception {
    decoder.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":\"0\"}]");

    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
        .isInstanceOf(ProtocolException.class).hasMessage("illegal attachments");
  }

  @Test
  void encoderOutputDecodesBackToTheSameTree() throws Exception {
    EncodedPacket enc = codec.encodeEvent("/admin", 3, "pics", List.of(new byte[] {1}, new byte[] {2, 2}), "caption");
    String frame = new String(enc.text(), StandardCharsets.UTF_8);

    SocketPacket p = decoder.decodeText(EngineCodec.decodeText(frame).data());
    for (byte[] a : enc.attachments()) {
      assertThat(p).isNull();
      p = decoder.decodeBinary(a);
    }

    assertThat(p.type()).isEqualTo(PacketType.BINARY_EVENT);
    assertThat(p.nsp()).isEqualTo("/admin");
    assertThat(p.id()).isEqualTo(3);
    assertThat(p.data()).isEqualTo(mapper.createArrayNode().add("pics")
        .add(mapper.createArrayNode().add(BinaryNode.valueOf(new byte[] {1})).add(BinaryNode.valueOf(new byte[] {2, 2})))
        .add("caption"));
  }
}
