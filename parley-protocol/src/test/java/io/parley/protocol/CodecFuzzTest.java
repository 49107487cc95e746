package io.parley.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.protocol.fuzz.Fuzz;
import io.parley.protocol.fuzz.FuzzInput;
import io.parley.protocol.fuzz.Generators;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fuzz properties of every codec. Each property takes one {@code byte[]} and derives its case from
 * it ({@link FuzzInput}), so it runs two ways:
 *
 * <ul>
 *   <li>{@link #budgeted()}: every property on random inputs within a budget (CI: 10 000 tries or
 *       3 s each, whichever comes first; see {@link Fuzz} for the system properties);
 *   <li>the {@code @FuzzTest} methods, Jazzer's JUnit integration: in CI they replay the inputs
 *       committed under {@code src/test/resources/io/parley/protocol/CodecFuzzTestInputs/<method>/};
 *       with {@code JAZZER_FUZZ=1} one of them fuzzes with coverage feedback (README, "Fuzzing").
 * </ul>
 *
 * <p>The properties: arbitrary input never makes a decoder throw anything but
 * {@link ProtocolException} (nor hang: the budgeted runner times every input), and valid packets
 * round-trip exactly (encode, decode, equal), binary attachments, namespaces and ack ids included,
 * over a WebSocket (text frame then binary frames, through both the byte and the String entry
 * points) and over polling (one payload).
 */
class CodecFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SocketCodec CODEC = new SocketCodec(MAPPER);
  private static final int MAX_ATTACHMENTS = 10;

  // ---- properties ----

  /** EngineCodec.decodeText: a packet or ProtocolException; a packet keeps the type digit and the rest. */
  static void engineDecodeText(byte[] input) {
    FuzzInput in = new FuzzInput(input);
    String s = in.bool() ? Generators.hostileText(in, CODEC) : "4" + Generators.hostileText(in, CODEC);
    EnginePacket.Text p;
    try {
      p = EngineCodec.decodeText(s);
    } catch (ProtocolException e) {
      return;
    } catch (Throwable t) {
      throw new AssertionError("EngineCodec.decodeText(" + Fuzz.show(s) + ") threw " + t, t);
    }
    if (p.type().code() != s.charAt(0) || !p.data().equals(s.substring(1))) {
      throw new AssertionError("EngineCodec.decodeText(" + Fuzz.show(s) + ") gave " + p);
    }
  }

  /** EngineCodec.decodePayload: packets or ProtocolException, never more packets than records. */
  static void engineDecodePayload(byte[] input) {
    FuzzInput in = new FuzzInput(input);
    StringBuilder body = new StringBuilder();
    int records = in.intIn(1, 5);
    for (int i = 0; i < records; i++) {
      if (i > 0) {
        body.append(EngineCodec.SEPARATOR);
      }
      switch (in.intIn(0, 3)) {
        case 0 -> body.append('4').append(Generators.hostileText(in, CODEC));
        case 1 -> body.append('b').append(Generators.mutate(in,
            java.util.Base64.getEncoder().encodeToString(in.bytes(24)) + (in.bool() ? "\r\n" : "")));
        default -> body.append(Generators.hostileText(in, CODEC));
      }
    }
    String s = body.toString();
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(s);
    } catch (ProtocolException e) {
      return;
    } catch (Throwable t) {
      throw new AssertionError("EngineCodec.decodePayload(" + Fuzz.show(s) + ") threw " + t, t);
    }
    long separators = s.chars().filter(c -> c == EngineCodec.SEPARATOR).count();
    if (packets.isEmpty() || packets.size() != separators + 1) {
      throw new AssertionError("EngineCodec.decodePayload(" + Fuzz.show(s) + ") gave " + packets.size() + " packets");
    }
  }

  /** encodeText + encodePayload then decodePayload gives back every frame, text and binary. */
  static void enginePayloadRoundTrip(byte[] input) throws ProtocolException {
    FuzzInput in = new FuzzInput(input);
    int n = in.intIn(1, 6);
    List<byte[]> frames = new ArrayList<>();
    List<Boolean> binary = new ArrayList<>();
    List<Object> expected = new ArrayList<>(); // EnginePacket.Text or byte[]
    for (int i = 0; i < n; i++) {
      if (in.chance(30)) {
        byte[] b = in.bytes(48);
        frames.add(b);
        binary.add(true);
        expected.add(b);
      } else {
        EngineType type = in.pick(List.of(EngineType.values()));
        String data = in.text(40, false).replace(EngineCodec.SEPARATOR, ' '); // the separator is not escaped, as in the reference
        frames.add(EngineCodec.encodeText(type, data));
        binary.add(false);
        expected.add(new EnginePacket.Text(type, data));
      }
    }
    String body = new String(EngineCodec.encodePayload(frames, binary), StandardCharsets.UTF_8);
    List<EnginePacket> got = EngineCodec.decodePayload(body);
    if (got.size() != expected.size()) {
      throw new AssertionError("payload " + Fuzz.show(body) + ": " + got.size() + " packets, expected " + expected.size());
    }
    for (int i = 0; i < got.size(); i++) {
      Object want = expected.get(i);
      boolean same = switch (got.get(i)) {
        case EnginePacket.Binary b -> want instanceof byte[] w && Arrays.equals(w, b.data());
        case EnginePacket.Text t -> t.equals(want);
      };
      if (!same) {
        throw new AssertionError("payload " + Fuzz.show(body) + ": packet " + i + " is " + got.get(i) + ", expected "
            + (want instanceof byte[] w ? Fuzz.show(w) : want));
      }
    }
    // one frame alone goes over a WebSocket as it is
    if (n == 1 && !binary.get(0)) {
      EnginePacket.Text t = EngineCodec.decodeText(new String(frames.get(0), StandardCharsets.UTF_8));
      if (!t.equals(expected.get(0))) {
        throw new AssertionError("frame " + Fuzz.show(body) + " decoded as " + t);
      }
    }
  }

  /**
   * A Socket.IO decoder fed a sequence of arbitrary frames (text through the byte or the String
   * entry point, binary) returns packets or null, or throws ProtocolException, after which the
   * connection would be closed; nothing else. A packet it returns is one the server may route:
   * a namespace starting with "/", an id of -1 or more, a payload of the shape its type requires.
   */
  static void socketDecoderArbitraryFrames(byte[] input) {
    FuzzInput in = new FuzzInput(input);
    SocketCodec.Decoder decoder = CODEC.new Decoder(MAX_ATTACHMENTS, in.chance(20) ? in.intIn(0, 4) : 100);
    int frames = in.intIn(1, 6);
    List<String> fed = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      SocketPacket p;
      int kind = in.intIn(0, 3);
      try {
        if (kind == 0) {
          byte[] b = in.bytes(32);
          fed.add("binary " + Fuzz.show(b));
          p = decoder.decodeBinary(b);
        } else if (kind == 1) {
          // the WebSocket hot path: the whole frame, "4" first, any bytes (a server may get invalid UTF-8)
          byte[] raw = in.bool() ? in.bytes(48)
              : Generators.hostileText(in, CODEC).getBytes(StandardCharsets.UTF_8);
          byte[] frame = new byte[raw.length + 1];
          frame[0] = '4';
          System.arraycopy(raw, 0, frame, 1, raw.length);
          fed.add("bytes " + Fuzz.show(raw));
          p = decoder.decodeText(frame, 1, raw.length);
        } else {
          String s = Generators.hostileText(in, CODEC);
          fed.add("text " + Fuzz.show(s));
          p = decoder.decodeText(s);
        }
      } catch (ProtocolException e) {
        return;
      } catch (Throwable t) {
        throw new AssertionError("Socket.IO decoder fed " + fed + " threw " + t, t);
      }
      if (p != null) {
        checkRoutable(p, fed);
      }
    }
  }

  private static void checkRoutable(SocketPacket p, List<String> fed) {
    boolean ok = p.nsp().startsWith("/") && p.id() >= -1;
    var d = p.data();
    ok &= switch (p.type()) {
      case CONNECT -> d == null || d.isObject();
      case DISCONNECT -> d == null;
      case CONNECT_ERROR -> d != null && (d.isTextual() || d.isObject());
      case EVENT, BINARY_EVENT -> d != null && d.isArray() && !d.isEmpty()
          && (d.get(0).isNumber() || d.get(0).isTextual() && !SocketCodec.RESERVED_EVENTS.contains(d.get(0).textValue()));
      case ACK, BINARY_ACK -> d != null && d.isArray();
    };
    if (!ok) {
      throw new AssertionError("Socket.IO decoder fed " + fed + " returned an invalid packet " + p);
    }
  }

  /** Any valid packet: encode then decode gives back the same packet, over a WebSocket and over polling. */
  static void socketRoundTrip(byte[] input) throws ProtocolException {
    FuzzInput in = new FuzzInput(input);
    Generators.Packet p = Generators.packet(in);
    EncodedPacket enc;
    try {
      enc = CODEC.encode(p.type(), p.nsp(), p.id(), p.data());
    } catch (RuntimeException e) {
      throw new AssertionError("encode(" + p + ") threw " + e, e);
    }
    String text = new String(enc.text(), StandardCharsets.UTF_8);
    if (enc.attachments().size() != p.attachments()) {
      throw new AssertionError(Fuzz.show(text) + ": " + enc.attachments().size() + " attachments, expected " + p.attachments());
    }
    SocketPacket expected = p.expected();
    check("WebSocket (bytes)", text, expected, overWebSocketBytes(enc));
    check("WebSocket (text)", text, expected, overWebSocketString(enc));
    check("polling", text, expected, overPolling(enc));
  }

  private static void check(String path, String text, SocketPacket expected, SocketPacket got) {
    if (!expected.equals(got)) {
      throw new AssertionError(path + ": " + Fuzz.show(text) + " decoded as " + got + ", expected " + expected);
    }
  }

  private static SocketPacket feedAttachments(SocketCodec.Decoder d, SocketPacket first, List<byte[]> attachments)
      throws ProtocolException {
    SocketPacket p = first;
    for (byte[] a : attachments) {
      if (p != null) {
        throw new AssertionError("packet complete before its attachments: " + p);
      }
      p = d.decodeBinary(a);
    }
    if (d.reconstructing()) {
      throw new AssertionError("decoder still waiting after every attachment");
    }
    return p;
  }

  private static SocketPacket overWebSocketBytes(EncodedPacket enc) throws ProtocolException {
    SocketCodec.Decoder d = CODEC.new Decoder(MAX_ATTACHMENTS);
    byte[] frame = enc.text();
    return feedAttachments(d, d.decodeText(frame, 1, frame.length - 1), enc.attachments());
  }

  private static SocketPacket overWebSocketString(EncodedPacket enc) throws ProtocolException {
    SocketCodec.Decoder d = CODEC.new Decoder(MAX_ATTACHMENTS);
    EnginePacket.Text t = EngineCodec.decodeText(new String(enc.text(), StandardCharsets.UTF_8));
    if (t.type() != EngineType.MESSAGE) {
      throw new AssertionError("not a message: " + t);
    }
    return feedAttachments(d, d.decodeText(t.data()), enc.attachments());
  }

  private static SocketPacket overPolling(EncodedPacket enc) throws ProtocolException {
    List<byte[]> frames = new ArrayList<>();
    List<Boolean> binary = new ArrayList<>();
    frames.add(enc.text());
    binary.add(false);
    for (byte[] a : enc.attachments()) {
      frames.add(a);
      binary.add(true);
    }
    List<EnginePacket> packets = EngineCodec.decodePayload(
        new String(EngineCodec.encodePayload(frames, binary), StandardCharsets.UTF_8));
    if (packets.size() != frames.size()) {
      throw new AssertionError(packets.size() + " Engine.IO packets, expected " + frames.size());
    }
    SocketCodec.Decoder d = CODEC.new Decoder(MAX_ATTACHMENTS);
    SocketPacket p = null;
    for (EnginePacket ep : packets) {
      if (p != null) {
        throw new AssertionError("packet complete before its attachments: " + p);
      }
      p = switch (ep) {
        case EnginePacket.Text t -> d.decodeText(t.data());
        case EnginePacket.Binary b -> d.decodeBinary(b.data());
      };
    }
    return p;
  }

  // ---- CI: every property within a budget ----

  private static final Map<String, Fuzz.Property> PROPERTIES = Map.of(
      "engineDecodeText", CodecFuzzTest::engineDecodeText,
      "engineDecodePayload", CodecFuzzTest::engineDecodePayload,
      "enginePayloadRoundTrip", CodecFuzzTest::enginePayloadRoundTrip,
      "socketDecoderArbitraryFrames", CodecFuzzTest::socketDecoderArbitraryFrames,
      "socketRoundTrip", CodecFuzzTest::socketRoundTrip);

  @TestFactory
  Stream<DynamicTest> budgeted() {
    return PROPERTIES.keySet().stream().sorted()
        .map(name -> DynamicTest.dynamicTest(name, () -> Fuzz.run("CodecFuzzTest." + name, PROPERTIES.get(name))));
  }

  // ---- Jazzer: regression inputs in CI, coverage-guided fuzzing with JAZZER_FUZZ=1 ----

  @FuzzTest(maxDuration = "2m")
  void engineDecodeTextFuzz(byte[] input) {
    engineDecodeText(input);
  }

  @FuzzTest(maxDuration = "2m")
  void engineDecodePayloadFuzz(byte[] input) {
    engineDecodePayload(input);
  }

  @FuzzTest(maxDuration = "2m")
  void enginePayloadRoundTripFuzz(byte[] input) throws ProtocolException {
    enginePayloadRoundTrip(input);
  }

  @FuzzTest(maxDuration = "2m")
  void socketDecoderArbitraryFramesFuzz(byte[] input) {
    socketDecoderArbitraryFrames(input);
  }

  @FuzzTest(maxDuration = "2m")
  void socketRoundTripFuzz(byte[] input) throws ProtocolException {
    socketRoundTrip(input);
  }
}
