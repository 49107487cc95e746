package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every input the Socket.IO decoder refuses, with the exact reason it gives. */
class SocketPacketRejectionTest {
  private final SocketCodec codec = new SocketCodec(new ObjectMapper());
  private final SocketCodec.Decoder decoder = codec.new Decoder(10);

  private void rejects(String text, String message) {
    assertThatThrownBy(() -> decoder.decodeText(text))
        .isInstanceOf(ProtocolException.class)
        .hasMessage(message);
  }

  @Test
  void emptyPacket() {
    rejects("", "empty packet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "8[\"foo\"]", "9", "x", "-1", "[\"foo\"]", " 2[\"foo\"]"})
  void unknownPacketType(String text) {
    rejects(text, "unknown packet type " + text.charAt(0));
  }

  @Test
  void truncatedMultiByteTypeCharacterIsAnUnknownType() {
    // found by CodecFuzzTest: a lead byte announcing more bytes than the frame holds used to throw
    // StringIndexOutOfBoundsException instead of ProtocolException
    byte[] frame = {'4', (byte) 0xc0};
    assertThatThrownBy(() -> decoder.decodeText(frame, 1, 1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("unknown packet type ");
    byte[] inside = {'4', (byte) 0xf0, '2', '[', ']'};
    assertThatThrownBy(() -> decoder.decodeText(inside, 1, 1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("unknown packet type ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "5[\"foo\"]", // no dash
      "5-[\"foo\"]", // no count before the dash
      "5a-[\"foo\"]", // not a number
      "51a-[\"foo\"]",
      "5 1-[\"foo\"]",
      "5+1-[\"foo\"]",
      "51234-[\"foo\"]", // absurdly long count
      "6", // BINARY_ACK with nothing at all
      "6/admin,1[]"})
  void illegalAttachments(String text) {
    rejects(text, "illegal attachments");
  }

  @Test
  void moreAttachmentsThanMaxAttachments() {
    rejects("511-[\"foo\"]", "too many attachments");
    rejects("6999-[]", "too many attachments");
  }

  @Test
  void exactlyMaxAttachmentsIsAccepted() throws Exception {
    assertThat(decoder.decodeText("510-[\"foo\"]")).isNull();
    assertThat(decoder.reconstructing()).isTrue();
  }

  @Test
  void maxAttachmentsIsConfigurable() throws Exception {
    SocketCodec.Decoder none = codec.new Decoder(0);
    assertThatThrownBy(() -> none.decodeText("51-[\"foo\",{\"_placeholder\":true,\"num\":0}]"))
        .isInstanceOf(ProtocolException.class).hasMessage("too many attachments");
    assertThat(none.decodeText("50-[\"foo\"]")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0[\"a\"]", "0\"token\"", "0[]", "0null", "0true", "0/admin,[]", "0{", "0 "})
  void connectPayloadMustBeAnObject(String text) {
    rejects(text, "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1{}", "1[]", "1/admin,\"bye\"", "1null"})
  void disconnectMustHaveNoPayload(String text) {
    rejects(text, "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4", "4/random,", "4[\"x\"]", "4null", "4true"})
  void connectErrorPayloadMustBeAStringOrAnObject(String text) {
    rejects(text, "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2{}", "2\"foo\"", "2", "2/admin,", "212", "2null", "2 "})
  void eventPayloadMustBeAnArray(String text) {
    rejects(text, "invalid payload");
  }

  @Test
  void eventMustNameTheEvent() {
    rejects("2[]", "invalid payload");
    rejects("50-[]", "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[null]", "[true]", "[{}]", "[[\"foo\"]]"})
  void eventNameMustBeAStringOrANumber(String payload) {
    rejects("2" + payload, "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
  void reservedEventNamesAreRefused(String name) {
    rejects("2[\"" + name + "\"]", "invalid payload");
    rejects("2/admin,1[\"" + name + "\",1]", "invalid payload");
    rejects("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]", "invalid payload");
  }

  @Test
  void reservedNamesAreCaseSensitive() throws Exception {
    assertThat(decoder.decodeText("2[\"Disconnect\"]")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3{}", "3\"bar\"", "313", "3/admin,13", "313{\"a\":1}", "61-{\"_placeholder\":true,\"num\":0}"})
  void ackPayloadMustBeAnArray(String text) {
    rejects(text, "invalid payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2[\"foo\"", "2[\"foo\",]", "2['foo']", "2[\"foo\"]]", "2[\"foo\"]xyz", "2[\"foo\"] [\"bar\"]"})
  void malformedJson(String text) {
    rejects(text, "invalid payload");
  }

  @Test
  void badAckIdFromTheConformanceSuite() throws Exception {
    EnginePacket.Text eio = EngineCodec.decodeText("42abc[\"message-with-ack\",1]");
    rejects(eio.data(), "invalid payload");
  }

  @Test
  void ackIdMustBeDigitsRightAfterTheNamespace() {
    rejects("2/admin,x1[\"foo\"]", "invalid payload");
    rejects("2-1[\"foo\"]", "invalid payload");
    rejects("21.5[\"foo\"]", "invalid payload");
  }

  @Test
  void ackIdLongerThanFifteenDigits() {
    rejects("21234567890123456[\"foo\"]", "ack id too long");
    rejects("3/admin,99999999999999999999[]", "ack id too long");
  }

  @Test
  void textWhileWaitingForAttachments() throws Exception {
    assertThat(decoder.decodeText("52-[\"foo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"))
        .isNull();
    assertThat(decoder.decodeBinary(new byte[] {1})).isNull();

    rejects("2[\"bar\"]", "got plaintext data when reconstructing a packet");
    assertThat(decoder.reconstructing()).isTrue();
  }

  @Test
  void binaryWithoutAPendingBinaryPacket() {
    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1, 2, 3}))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("got binary data when not reconstructing a packet");
  }

  @Test
  void binaryAfterTheLastAttachmentIsUnexpected() throws Exception {
    decoder.decodeText("51-[\"foo\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(decoder.decodeBinary(new byte[] {1})).isNotNull();

    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {2}))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("got binary data when not reconstructing a packet");
  }

  @Test
  void aRefusedPacketLeavesTheDecoderUsable() throws Exception {
    rejects("2[\"disconnect\"]", "invalid payload");
    rejects("511-[\"foo\"]", "too many attachments");
    assertThat(decoder.reconstructing()).isFalse();

    assertThat(decoder.decodeText("2[\"foo\"]").type()).isEqualTo(PacketType.EVENT);
  }
}
