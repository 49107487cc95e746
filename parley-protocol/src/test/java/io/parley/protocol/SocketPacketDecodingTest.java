package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Decoding text Socket.IO packets (no attachments): the spec examples field by field. */
class SocketPacketDecodingTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final SocketCodec.Decoder decoder = new SocketCodec(mapper).new Decoder(10);

  private JsonNode json(String s) throws Exception {
    return mapper.readTree(s);
  }

  /** Decodes what arrives in an Engine.IO text frame: the {@code 4} is the Engine.IO layer's. */
  private SocketPacket wire(String frame) throws ProtocolException {
    EnginePacket.Text eio = EngineCodec.decodeText(frame);
    assertThat(eio.type()).isEqualTo(EngineType.MESSAGE);
    return decoder.decodeText(eio.data());
  }

  @Test
  void eventOnTheMainNamespace() throws Exception {
    SocketPacket p = decoder.decodeText("2[\"foo\"]");

    assertThat(p).isEqualTo(new SocketPacket(PacketType.EVENT, "/", SocketPacket.NO_ID, json("[\"foo\"]")));
    assertThat(p.hasId()).isFalse();
  }

  @Test
  void eventOnANamespace() throws Exception {
    assertThat(decoder.decodeText("2/admin,[\"bar\"]"))
        .isEqualTo(new SocketPacket(PacketType.EVENT, "/admin", SocketPacket.NO_ID, json("[\"bar\"]")));
  }

  @Test
  void eventWithAnAckId() throws Exception {
    SocketPacket p = decoder.decodeText("212[\"foo\"]");

    assertThat(p).isEqualTo(new SocketPacket(PacketType.EVENT, "/", 12, json("[\"foo\"]")));
    assertThat(p.hasId()).isTrue();
  }

  @Test
  void ackOnANamespace() throws Exception {
    assertThat(decoder.decodeText("3/admin,13[\"bar\"]"))
        .isEqualTo(new SocketPacket(PacketType.ACK, "/admin", 13, json("[\"bar\"]")));
  }

  @Test
  void ackMayBeAnEmptyArray() throws Exception {
    assertThat(decoder.decodeText("30[]")).isEqualTo(new SocketPacket(PacketType.ACK, "/", 0, json("[]")));
  }

  @Test
  void disconnectOnANamespaceHasNoData() throws Exception {
    assertThat(decoder.decodeText("1/admin,"))
        .isEqualTo(new SocketPacket(PacketType.DISCONNECT, "/admin", SocketPacket.NO_ID, null));
  }

  @Test
  void disconnectOfTheMainNamespace() throws Exception {
    assertThat(wire("41")).isEqualTo(new SocketPacket(PacketType.DISCONNECT, "/", SocketPacket.NO_ID, null));
  }

  @Test
  void connectWithoutAuth() throws Exception {
    assertThat(wire("40")).isEqualTo(new SocketPacket(PacketType.CONNECT, "/", SocketPacket.NO_ID, null));
  }

  @Test
  void connectWithAnAuthObject() throws Exception {
    assertThat(wire("40{\"token\":\"123\"}"))
        .isEqualTo(new SocketPacket(PacketType.CONNECT, "/", SocketPacket.NO_ID, json("{\"token\":\"123\"}")));
  }

  @Test
  void connectToANamespaceWithoutTheTrailingComma() throws Exception {
    assertThat(wire("40/custom")).isEqualTo(new SocketPacket(PacketType.CONNECT, "/custom", SocketPacket.NO_ID, null));
    assertThat(wire("41/custom"))
        .isEqualTo(new SocketPacket(PacketType.DISCONNECT, "/custom", SocketPacket.NO_ID, null));
  }

  @Test
  void connectToANamespaceWithCommaAndAuth() throws Exception {
    assertThat(wire("40/custom,{\"token\":\"abc\"}"))
        .isEqualTo(new SocketPacket(PacketType.CONNECT, "/custom", SocketPacket.NO_ID, json("{\"token\":\"abc\"}")));
  }

  @Test
  void connectErrorWithAMessageObject() throws Exception {
    assertThat(wire("44/random,{\"message\":\"Invalid namespace\"}")).isEqualTo(new SocketPacket(
        PacketType.CONNECT_ERROR, "/random", SocketPacket.NO_ID, json("{\"message\":\"Invalid namespace\"}")));
  }

  @Test
  void connectErrorWithAStringAsEngineIoV3ClientsGetIt() throws Exception {
    assertThat(decoder.decodeText("4\"Invalid namespace\""))
        .isEqualTo(new SocketPacket(PacketType.CONNECT_ERROR, "/", SocketPacket.NO_ID, json("\"Invalid namespace\"")));
  }

  @Test
  void conformanceSuiteEventKeepsEveryArgument() throws Exception {
    assertThat(wire("42[\"message\",1,\"2\",{\"3\":[true]}]")).isEqualTo(new SocketPacket(
        PacketType.EVENT, "/", SocketPacket.NO_ID, json("[\"message\",1,\"2\",{\"3\":[true]}]")));
  }

  @Test
  void conformanceSuiteEventWithAckId() throws Exception {
    assertThat(wire("42456[\"message-with-ack\",1]")).isEqualTo(
        new SocketPacket(PacketType.EVENT, "/", 456, json("[\"message-with-ack\",1]")));
  }

  @Test
  void numericEventNameIsAllowed() throws Exception {
    assertThat(decoder.decodeText("2[1,2]").data()).isEqualTo(json("[1,2]"));
  }

  @Test
  void longestAllowedAckIdHasFifteenDigits() throws Exception {
    assertThat(decoder.decodeText("2999999999999999[\"x\"]").id()).isEqualTo(999_999_999_999_999L);
  }

  @Test
  void binaryEventDeclaringZeroAttachmentsIsCompleteAtOnce() throws Exception {
    SocketPacket p = decoder.decodeText("50-[\"foo\"]");

    assertThat(p).isEqualTo(new SocketPacket(PacketType.BINARY_EVENT, "/", SocketPacket.NO_ID, json("[\"foo\"]")));
    assertThat(decoder.reconstructing()).isFalse();
  }

  @Test
  void binaryPacketHeaderIsReadInOrderCountNamespaceId() throws Exception {
    assertThat(decoder.decodeText("61-/admin,15[{\"_placeholder\":true,\"num\":0}]")).isNull();
    assertThat(decoder.reconstructing()).isTrue();

    SocketPacket p = decoder.decodeBinary(new byte[] {1});

    assertThat(p.type()).isEqualTo(PacketType.BINARY_ACK);
    assertThat(p.nsp()).isEqualTo("/admin");
    assertThat(p.id()).isEqualTo(15);
  }

  @Test
  void decoderKeepsWorkingAfterManyPackets() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(decoder.decodeText("2[\"a\"]").type()).isEqualTo(PacketType.EVENT);
      assertThat(decoder.decodeText("51-[\"b\",{\"_placeholder\":true,\"num\":0}]")).isNull();
      assertThat(decoder.decodeBinary(new byte[] {(byte) i}).type()).isEqualTo(PacketType.BINARY_EVENT);
    }
    assertThat(decoder.reconstructing()).isFalse();
  }
}
