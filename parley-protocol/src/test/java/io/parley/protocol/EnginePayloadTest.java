package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Long-polling payloads: packets joined by {@code \x1e}, binary ones as {@code b<base64>}. */
class EnginePayloadTest {
  private static final String RS = "\u001e";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void textAndBinaryFromTheConformanceSuite() throws Exception {
    List<EnginePacket> packets = EngineCodec.decodePayload("4hello" + RS + "bAQIDBA==");

    assertThat(packets).hasSize(2);
    assertThat(packets.get(0)).isEqualTo(new EnginePacket.Text(EngineType.MESSAGE, "hello"));
    assertThat(packets.get(1)).isInstanceOfSatisfying(EnginePacket.Binary.class,
        b -> assertThat(b.data()).containsExactly(1, 2, 3, 4));
  }

  @Test
  void encodingTheSamePacketsGivesTheSameBytes() {
    byte[] payload = EngineCodec.encodePayload(List.of(utf8("4hello"), new byte[] {1, 2, 3, 4}), List.of(false, true));

    assertThat(payload).isEqualTo(utf8("4hello" + RS + "bAQIDBA=="));
  }

  @Test
  void singlePacketHasNoSeparator() throws Exception {
    assertThat(EngineCodec.decodePayload("4hello")).containsExactly(new EnginePacket.Text(EngineType.MESSAGE, "hello"));
    assertThat(EngineCodec.encodePayload(List.of(utf8("4hello")), List.of(false))).isEqualTo(utf8("4hello"));
  }

  @Test
  void noFramesIsAnEmptyBody() {
    assertThat(EngineCodec.encodePayload(List.of(), List.of())).isEmpty();
  }

  @Test
  void packetsKeepTheirOrder() throws Exception {
    assertThat(EngineCodec.decodePayload("4a" + RS + "3" + RS + "4b" + RS + "1")).containsExactly(
        new EnginePacket.Text(EngineType.MESSAGE, "a"),
        new EnginePacket.Text(EngineType.PONG, ""),
        new EnginePacket.Text(EngineType.MESSAGE, "b"),
        new EnginePacket.Text(EngineType.CLOSE, ""));
  }

  @Test
  void serverCloseAfterNoopPayload() {
    assertThat(EngineCodec.encodePayload(List.of(new byte[] {'6'}, new byte[] {'1'}), List.of(false, false)))
        .isEqualTo(utf8("6" + RS + "1"));
  }

  @Test
  void socketIoBinaryEventOverPolling() throws Exception {
    String body = "451-[\"baz\",{\"_placeholder\":true,\"num\":0}]" + RS + "bAQID";

    List<EnginePacket> packets = EngineCodec.decodePayload(body);

    assertThat(packets.get(0))
        .isEqualTo(new EnginePacket.Text(EngineType.MESSAGE, "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]"));
    assertThat(((EnginePacket.Binary) packets.get(1)).data()).containsExactly(1, 2, 3);
  }

  @Test
  void emptyBinaryPacket() throws Exception {
    assertThat(EngineCodec.decodePayload("b")).singleElement().isInstanceOfSatisfying(EnginePacket.Binary.class,
        b -> assertThat(b.data()).isEmpty());
    assertThat(EngineCodec.encodePayload(List.of(new byte[0]), List.of(true))).isEqualTo(utf8("b"));
  }

  @Test
  void unicodeTextIsWrittenAsUtf8() throws Exception {
    byte[] payload = EngineCodec.encodePayload(List.of(utf8("4é"), utf8("4\uD83D\uDE00")), List.of(false, false));

    assertThat(payload).isEqualTo(utf8("4é" + RS + "4\uD83D\uDE00"));
    assertThat(EngineCodec.decodePayload(new String(payload, StandardCharsets.UTF_8))).containsExactly(
        new EnginePacket.Text(EngineType.MESSAGE, "é"), new EnginePacket.Text(EngineType.MESSAGE, "\uD83D\uDE00"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", RS, "4a" + RS, RS + "4a", "4a" + RS + RS + "4b"})
  void emptyPacketsAreRefused(String body) {
    assertThatThrownBy(() -> EngineCodec.decodePayload(body))
        .isInstanceOf(ProtocolException.class).hasMessage("empty packet");
  }

  @Test
  void lineBreaksInBase64AreIgnoredAsTheJavaClientWrapsLines() throws Exception {
    assertThat(((EnginePacket.Binary) EngineCodec.decodePayload("bAQID\nBA==\r\n").get(0)).data())
        .containsExactly(1, 2, 3, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"b!!!!", "bAQIDBA=", "bAQIDBA===", "bAQ ID", "4a" + RS + "b%%", "bAQ\tIDBA=="})
  void invalidBase64IsRefused(String body) {
    assertThatThrownBy(() -> EngineCodec.decodePayload(body))
        .isInstanceOf(ProtocolException.class).hasMessage("invalid base64 in binary packet");
  }

  @Test
  void unknownTypeInsideAPayloadIsRefused() {
    assertThatThrownBy(() -> EngineCodec.decodePayload("4a" + RS + "abc"))
        .isInstanceOf(ProtocolException.class).hasMessage("unknown packet type 'a'");
    assertThatThrownBy(() -> EngineCodec.decodePayload("abc"))
        .isInstanceOf(ProtocolException.class).hasMessage("unknown packet type 'a'");
  }

  @Test
  void randomPayloadsRoundTrip() throws Exception {
    Random random = new Random(0x5eed_e10L);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(6);
      List<byte[]> frames = new ArrayList<>();
      List<Boolean> binary = new ArrayList<>();
      List<EnginePacket> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (random.nextBoolean()) {
          byte[] b = new byte[random.nextInt(40)];
          random.nextBytes(b);
          frames.add(b);
          binary.add(true);
          expected.add(new EnginePacket.Binary(b));
        } else {
          EngineType type = EngineType.values()[random.nextInt(EngineType.values().length)];
          String data = RandomText.string(random, 30, false);
          frames.add(EngineCodec.encodeText(type, data));
          binary.add(false);
          expected.add(new EnginePacket.Text(type, data));
        }
      }

      String body = new String(EngineCodec.encodePayload(frames, binary), StandardCharsets.UTF_8);
      List<EnginePacket> decoded = EngineCodec.decodePayload(body);

      assertThat(decoded).as("round %d: %s", round, body).hasSameSizeAs(expected);
      for (int i = 0; i < decoded.size(); i++) {
        if (expected.get(i) instanceof EnginePacket.Binary b) {
          assertThat(decoded.get(i)).isInstanceOfSatisfying(EnginePacket.Binary.class,
              d -> assertThat(d.data()).isEqualTo(b.data()));
        } else {
          assertThat(decoded.get(i)).isEqualTo(expected.get(i));
        }
      }
    }
  }
}
