package io.parley.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MessagePack byte for byte as notepack.io 3.0.1 writes and reads it. */
@Timeout(10)
class MsgpackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private static String encode(Object value) {
    return HEX.formatHex(Msgpack.encode(JSON.valueToTree(value)));
  }

  private static JsonNode decode(String hex) throws Exception {
    return Msgpack.decode(HEX.parseHex(hex.replace(" ", "")));
  }

  @ParameterizedTest(name = "{0} is written as {1}")
  @CsvSource({
      "0, 00", "127, 7f", "128, cc80", "255, ccff", "1000, cd03e8", "65535, cdffff", "70000, ce00011170",
      "4294967296, cf0000000100000000", "-1, ff", "-32, e0", "-33, d0df", "-128, d080", "-129, d1ff7f",
      "-32769, d2ffff7fff", "-2147483649, d3ffffffff7fffffff"})
  void integersAreWrittenInTheirSmallestWidth(long value, String hex) {
    assertThat(encode(value)).isEqualTo(hex);
  }

  @Test
  void otherScalarsAreWrittenAsNotepackWritesThem() {
    assertThat(encode(new byte[] {1, 2, 3})).isEqualTo("c403010203");
    assertThat(encode(1.5)).isEqualTo("cb3ff8000000000000");
    assertThat(encode("ab")).isEqualTo("a26162");
    assertThat(encode("x".repeat(32))).startsWith("d920");
    assertThat(encode(null)).isEqualTo("c0");
    assertThat(encode(true)).isEqualTo("c3");
    assertThat(encode(false)).isEqualTo("c2");
  }

  @Test
  void aClassicBroadcastIsEncodedExactlyAsTheReferenceDoes() throws Exception {
    JsonNode msg = JSON.readTree("""
        ["JpmhIs",{"type":2,"data":["evt","to-room1"],"nsp":"/"},
         {"rooms":["room1"],"except":["room2"],"flags":{}}]""");
    String expected = "93" + "a64a706d684973"
        + "83" + "a474797065" + "02" + "a464617461" + "92" + "a3657674" + "a8746f2d726f6f6d31" + "a36e7370" + "a12f"
        + "83" + "a5726f6f6d73" + "91a5726f6f6d31" + "a6657863657074" + "91a5726f6f6d32" + "a5666c616773" + "80";
    assertThat(HEX.formatHex(Msgpack.encode(msg))).isEqualTo(expected);
    assertThat(decode(expected)).isEqualTo(msg);
  }

  @ParameterizedTest(name = "{0} is read as {1}")
  @CsvSource(delimiter = '|', value = {
      "05 | 5", "cc ff | 255", "cd 03 e8 | 1000", "ce ff ff ff ff | 4294967295",
      "cf 00 00 00 01 00 00 00 00 | 4294967296", "cf ff ff ff ff ff ff ff ff | 18446744073709551615",
      "e0 | -32", "d0 80 | -128", "d1 80 00 | -32768", "d2 80 00 00 00 | -2147483648",
      "d3 80 00 00 00 00 00 00 00 | -9223372036854775808", "ca 3f c0 00 00 | 1.5",
      "cb 3f f8 00 00 00 00 00 00 | 1.5", "a2 61 62 | \"ab\"", "d9 02 61 62 | \"ab\"", "da 00 02 61 62 | \"ab\"",
      "db 00 00 00 02 61 62 | \"ab\"", "c0 | null", "c2 | false", "c3 | true",
      "92 01 02 | [1,2]", "dc 00 02 01 02 | [1,2]", "dd 00 00 00 02 01 02 | [1,2]",
      "81 a1 61 01 | {\"a\":1}", "de 00 01 a1 61 01 | {\"a\":1}", "df 00 00 00 01 a1 61 01 | {\"a\":1}"})
  void everyWidthIsDecoded(String hex, String json) throws Exception {
    JsonNode got = decode(hex);
    JsonNode want = JSON.readTree(json);
    if (want.isNumber()) {
      assertThat(got.isNumber()).isTrue();
      assertThat(got.decimalValue()).isEqualByComparingTo(want.decimalValue());
    } else {
      assertThat(got).isEqualTo(want);
    }
  }

  @Test
  void binOfEveryWidthIsDecodedToBytes() throws Exception {
    assertThat(decode("c4 03 01 02 03").binaryValue()).containsExactly(1, 2, 3);
    assertThat(decode("c5 00 03 01 02 03").binaryValue()).containsExactly(1, 2, 3);
    assertThat(decode("c6 00 00 00 03 01 02 03").binaryValue()).containsExactly(1, 2, 3);
    assertThat(Msgpack.hasBinary(decode("92 a1 78 c4 01 00"))).isTrue();
    assertThat(Msgpack.hasBinary(decode("92 a1 78 01"))).isFalse();
  }

  @Test
  void datesBecomeTheirIsoTextAndOtherExtensionsATypeAndBytesPair() throws Exception {
    assertThat(decode("d6 ff 00 00 00 01").asText()).isEqualTo("1970-01-01T00:00:01.000Z");
    assertThat(decode("d7 ff 77 35 94 00 00 00 00 01").asText()).isEqualTo("1970-01-01T00:00:01.500Z");
    assertThat(decode("c7 0c ff 07 5b cd 15 00 00 00 00 65 53 f1 00").asText())
        .isEqualTo("2023-11-14T22:13:20.123Z");
    JsonNode inArray = decode("92 d6 ff 00 00 00 01 d4 01 02");
    assertThat(inArray.get(0).asText()).isEqualTo("1970-01-01T00:00:01.000Z");
    assertThat(inArray.get(1).get(0).asInt()).isEqualTo(1);
    assertThat(inArray.get(1).get(1).binaryValue()).containsExactly(2);
    assertThat(decode("81 a1 64 d6 ff 00 00 00 01").get("d").asText()).isEqualTo("1970-01-01T00:00:01.000Z");
  }
}
