package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.binary;
import static io.parley.netty.client.ClientKit.bytes;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.fromClient;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.once;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.Args;
import io.socket.client.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class BinaryPayloadsTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  record Upload(String name, byte[] content) {}

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void bytesFromTheClientArriveAsBinaryNodes(Transport transport) {
    CompletableFuture<Args> received = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("file", (args, ack) -> received.complete(args))));
    Socket client = kit.connect(server, transport);

    client.emit("file", bytes(0, 1, 2, 255, 128), "caption", new byte[0]);

    Args args = await(received);
    assertThat(args.size()).isEqualTo(3);
    assertThat(args.get(0)).isInstanceOf(BinaryNode.class).isEqualTo(binary(0, 1, 2, 255, 128));
    assertThat(args.get(0, byte[].class)).containsExactly(bytes(0, 1, 2, 255, 128));
    assertThat(args.get(1).textValue()).isEqualTo("caption");
    assertThat(args.get(2, byte[].class)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void bytesFromTheServerArriveAsByteArrays(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = kit.socket(server, transport, "/");
    CompletableFuture<Object[]> received = once(client, "file");
    connect(client);

    serverSocket(server, client).emit("file", bytes(9, 8, 7), 42, bytes(255));

    Object[] args = await(received);
    assertThat(args).hasSize(3);
    assertThat(args[0]).isInstanceOf(byte[].class);
    assertThat((byte[]) args[0]).containsExactly(bytes(9, 8, 7));
    assertThat(args[1]).isEqualTo(42);
    assertThat((byte[]) args[2]).containsExactly(bytes(255));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void binaryNestedInObjectsAndArraysTravelsFromTheClient(Transport transport) throws Exception {
    CompletableFuture<Args> received = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("upload", (args, ack) -> received.complete(args))));
    Socket client = kit.connect(server, transport);

    JSONObject meta = new JSONObject();
    meta.put("name", "a.bin");
    meta.put("content", bytes(1, 2, 3));
    meta.put("parts", new JSONArray().put(bytes(4)).put("text").put(new JSONObject().put("deep", bytes(5, 6))));
    client.emit("upload", meta);

    JsonNode arg = await(received).get(0);
    assertThat(arg.get("name").textValue()).isEqualTo("a.bin");
    assertThat(arg.get("content")).isEqualTo(binary(1, 2, 3));
    assertThat(arg.get("parts").get(0)).isEqualTo(binary(4));
    assertThat(arg.get("parts").get(1).textValue()).isEqualTo("text");
    assertThat(arg.get("parts").get(2).get("deep")).isEqualTo(binary(5, 6));
    assertThat(arg.size()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void binaryNestedInObjectsAndRecordsTravelsFromTheServer(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = kit.socket(server, transport, "/");
    CompletableFuture<Object[]> received = once(client, "download");
    connect(client);

    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("name", "b.bin");
    nested.put("parts", List.of(bytes(1), "text", Map.of("deep", bytes(2, 3))));
    serverSocket(server, client).emit("download", nested, new Upload("c.bin", bytes(4, 5)));

    assertThat(fromClient(await(received))).containsExactly(expectedNested(), expectedUpload());
  }

  private static JsonNode expectedNested() {
    ObjectNode deep = ClientKit.MAPPER.createObjectNode();
    deep.set("deep", binary(2, 3));
    ObjectNode n = ClientKit.MAPPER.createObjectNode();
    n.put("name", "b.bin");
    n.putArray("parts").add(binary(1)).add("text").add(deep);
    return n;
  }

  private static JsonNode expectedUpload() {
    ObjectNode n = ClientKit.MAPPER.createObjectNode();
    n.put("name", "c.bin");
    n.set("content", binary(4, 5));
    return n;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void binaryComesBackUnchangedWhenTheServerEchoesTheArguments(Transport transport) throws Exception {
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("echo", (args, ack) -> s.emit("echo", args.toArray()))));
    Socket client = kit.socket(server, transport, "/");
    CompletableFuture<Object[]> echoed = once(client, "echo");
    connect(client);

    byte[] big = randomBytes(200_000);
    JSONObject withBinary = new JSONObject();
    withBinary.put("bin", bytes(7, 7, 7));
    withBinary.put("n", 1);
    client.emit("echo", big, withBinary, "plain");

    Object[] args = await(echoed);
    assertThat((byte[]) args[0]).isEqualTo(big);
    assertThat(fromClient(args[1])).isEqualTo(ClientKit.MAPPER.createObjectNode().put("n", 1).set("bin", binary(7, 7, 7)));
    assertThat(args[2]).isEqualTo("plain");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void tenAttachmentsInOnePacketAreAccepted(Transport transport) {
    CompletableFuture<Args> received = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("many", (args, ack) -> received.complete(args))));
    Socket client = kit.connect(server, transport);

    Object[] ten = new Object[10];
    for (int i = 0; i < ten.length; i++) {
      ten[i] = bytes(i, i);
    }
    client.emit("many", ten);

    Args args = await(received);
    assertThat(args.size()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      assertThat(args.get(i)).isEqualTo(binary(i, i));
    }
  }
}
