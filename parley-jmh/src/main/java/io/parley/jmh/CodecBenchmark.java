package io.parley.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.EngineCodec;
import io.parley.protocol.EnginePacket;
import io.parley.protocol.PacketType;
import io.parley.protocol.ProtocolException;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec work on the hot paths: decoding an incoming event, encoding its ack, encoding a
 * broadcast (once per broadcast, whatever the number of recipients), and polling payloads.
 *
 * <pre>java -jar parley-jmh/target/benchmarks.jar -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  /** A chat message as an application would send it. */
  public record ChatMessage(long id, String roomId, String text, List<String> readBy) {}

  private SocketCodec codec;
  private SocketCodec.Decoder decoder;
  private byte[] eventFrame;
  private JsonNode payload;
  private ChatMessage message;
  private String pollingBody;
  private byte[] binary;

  @Setup
  public void setup() throws ProtocolException {
    codec = new SocketCodec(new ObjectMapper());
    decoder = codec.new Decoder(10);
    eventFrame = "2123[\"bench:echo\",{\"t\":1732612345678901,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]"
        .getBytes(StandardCharsets.UTF_8);
    payload = decoder.decodeText(eventFrame, 0, eventFrame.length).data().get(1);
    message = new ChatMessage(42, "general", "hello everyone, how are you today?", List.of("alice", "bob"));
    pollingBody = "42[\"a\",1]\u001e42[\"b\",{\"x\":[1,2,3]}]\u001ebAQIDBA==";
    binary = new byte[256];
  }

  @Benchmark
  public SocketPacket decodeEvent() throws ProtocolException {
    return decoder.decodeText(eventFrame, 0, eventFrame.length);
  }

  @Benchmark
  public EncodedPacket encodeAckOfReceivedTree() {
    return codec.encodeAck("/", 123, payload);
  }

  @Benchmark
  public EncodedPacket encodeBroadcastOfRecord() {
    return codec.encode(PacketType.EVENT, "/", -1, new Object[] {"chat:message", message});
  }

  @Benchmark
  public EncodedPacket encodeBinaryEvent() {
    return codec.encode(PacketType.EVENT, "/chat", -1, new Object[] {"file", "name.bin", binary});
  }

  @Benchmark
  public List<EnginePacket> decodePollingPayload() throws ProtocolException {
    return EngineCodec.decodePayload(pollingBody);
  }
}
