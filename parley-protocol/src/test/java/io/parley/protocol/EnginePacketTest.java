package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Single Engine.IO packets, as carried by one WebSocket text frame. */
class EnginePacketTest {

  @Test
  void messageWithText() throws Exception {
    assertThat(EngineCodec.decodeText("4hello")).isEqualTo(new EnginePacket.Text(EngineType.MESSAGE, "hello"));
  }

  @Test
  void typeWithoutPayloadHasAnEmptyPayload() throws Exception {
    assertThat(EngineCodec.decodeText("2")).isEqualTo(new EnginePacket.Text(EngineType.PING, ""));
    assertThat(EngineCodec.decodeText("3")).isEqualTo(new EnginePacket.Text(EngineType.PONG, ""));
    assertThat(EngineCodec.decodeText("5")).isEqualTo(new EnginePacket.Text(EngineType.UPGRADE, ""));
  }

  @Test
  void probePackets() throws Exception {
    assertThat(EngineCodec.decodeText("2probe")).isEqualTo(new EnginePacket.Text(EngineType.PING, "probe"));
    assertThat(EngineCodec.decodeText("3probe")).isEqualTo(new EnginePacket.Text(EngineType.PONG, "probe"));
  }

  @Test
  void payloadIsKeptVerbatimIncludingSeparatorsAndUnicode() throws Exception {
    assertThat(EngineCodec.decodeText("4a\u001eb ✓")).isEqualTo(new EnginePacket.Text(EngineType.MESSAGE, "a\u001eb ✓"));
  }

  @ParameterizedTest
  @EnumSource(EngineType.class)
  void everyTypeRoundTripsThroughItsDigit(EngineType type) throws Exception {
    assertThat(EngineType.fromCode(type.code())).isSameAs(type);
    String wire = new String(EngineCodec.encodeText(type, "x"), StandardCharsets.UTF_8);
    assertThat(wire).isEqualTo(type.code() + "x");
    assertThat(EngineCodec.decodeText(wire)).isEqualTo(new EnginePacket.Text(type, "x"));
  }

  @Test
  void digitsAreTheSpecsTypes() {
    assertThat(EngineType.OPEN.code()).isEqualTo('0');
    assertThat(EngineType.CLOSE.code()).isEqualTo('1');
    assertThat(EngineType.PING.code()).isEqualTo('2');
    assertThat(EngineType.PONG.code()).isEqualTo('3');
    assertThat(EngineType.MESSAGE.code()).isEqualTo('4');
    assertThat(EngineType.UPGRADE.code()).isEqualTo('5');
    assertThat(EngineType.NOOP.code()).isEqualTo('6');
  }

  @Test
  void encodeTextIsUtf8() {
    assertThat(EngineCodec.encodeText(EngineType.MESSAGE, "héllo \uD83D\uDE00"))
        .isEqualTo("4héllo \uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
    assertThat(EngineCodec.encodeText(EngineType.NOOP, "")).containsExactly('6');
  }

  @Test
  void emptyPacketIsRefused() {
    assertThatThrownBy(() -> EngineCodec.decodeText(""))
        .isInstanceOf(ProtocolException.class).hasMessage("empty packet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "8hello", "9", "abc", "b", "/", " 4hello"})
  void unknownTypeIsRefusedNamingTheCharacter(String text) {
    assertThatThrownBy(() -> EngineCodec.decodeText(text))
        .isInstanceOf(ProtocolException.class).hasMessage("unknown packet type '" + text.charAt(0) + "'");
  }

  @Test
  void binaryPacketIsAlwaysAMessage() {
    assertThat(new EnginePacket.Binary(new byte[] {1}).type()).isEqualTo(EngineType.MESSAGE);
  }
}
