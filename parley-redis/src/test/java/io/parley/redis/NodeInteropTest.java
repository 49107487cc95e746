package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.redis.RedisFixture.Mode;
import io.parley.redis.RedisFixture.Node;
import io.parley.server.Args;
import io.parley.server.RemoteSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mixed cluster: the reference Node.js server (socket.io 4.8, {@code @socket.io/redis-adapter} 8)
 * and a Parley node share the real Redis and a key; clients of each must see what the other sends.
 * The emitter tests use the classic adapter, the only one {@code @socket.io/redis-emitter} speaks.
 */
@Timeout(60)
class NodeInteropTest {
  private RedisFixture fx;
  private NodeServer node;
  private Node parley;
  private final List<OfficialClient> nodeClients = new ArrayList<>();

  @BeforeAll
  @Timeout(300)
  static void installNodePackages() throws Exception {
    NodeServer.install();
  }

  private void start(Mode mode) throws Exception {
    fx = new RedisFixture(mode);
    parley = fx.node("parley");
    node = new NodeServer(fx.key, mode);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> parley.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS) == 2);
    assertThat(node.call("serverCount").asInt()).isEqualTo(2);
  }

  @AfterEach
  void stop() throws Exception {
    nodeClients.forEach(OfficialClient::close);
    if (node != null) {
      node.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  /** A client of the Node server in {@code rooms}, returned once Redis knows the rooms' channels. */
  private OfficialClient nodeClient(String... rooms) throws Exception {
    OfficialClient c = new OfficialClient(node.port(), "/", rooms.length == 0 ? null : "room=" + String.join(",", rooms),
        "node");
    nodeClients.add(c);
    for (String room : rooms) {
      fx.joined("/", room, "node");
    }
    return c;
  }

  /** Waits until both servers see {@code count} sockets in {@code room}, whichever server they are on. */
  private void awaitMembers(String room, int count) {
    await().atMost(Duration.ofSeconds(5)).until(() ->
        node.call("fetchSockets", Map.of("rooms", List.of(room))).size() == count
            && parley.io().in(room).fetchSockets().get(5, TimeUnit.SECONDS).size() == count);
  }

  private static Map<String, Object> bin(int... bytes) {
    List<Integer> list = new ArrayList<>();
    for (int b : bytes) {
      list.add(b);
    }
    return Map.of("$bin", list);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void broadcastsCrossInBothDirectionsBinaryIncluded(Mode mode) throws Exception {
    start(mode);
    OfficialClient onNode = nodeClient();
    OfficialClient onParley = fx.client(parley);
    parley.io().emit("news", "from-parley", new byte[] {1, 2, 3});
    assertThat(onNode.next("news")).isEqualTo("from-parley");
    assertThat(onParley.next("news")).isEqualTo("from-parley");
    node.call("emit", Map.of("event", "news", "args", List.of("from-node", bin(4, 5))));
    assertThat(onNode.next("news")).isEqualTo("from-node");
    assertThat(onParley.next("news")).isEqualTo("from-node");
    parley.io().emit("blob", new byte[] {1, 2, 3});
    assertThat((byte[]) onNode.next("blob")).containsExactly(1, 2, 3);
    assertThat((byte[]) onParley.next("blob")).containsExactly(1, 2, 3);
    node.call("emit", Map.of("event", "blob", "args", List.of(bin(4, 5))));
    assertThat((byte[]) onParley.next("blob")).containsExactly(4, 5);
    assertThat((byte[]) onNode.next("blob")).containsExactly(4, 5);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void roomsAndExceptCrossInBothDirections(Mode mode) throws Exception {
    start(mode);
    OfficialClient redOnNode = nodeClient("red");
    OfficialClient blueOnNode = nodeClient("blue");
    OfficialClient redOnParley = fx.client(parley, "red");
    OfficialClient redBlueOnParley = fx.client(parley, "red", "blue");
    parley.io().to("red").emit("news", "red-from-parley");
    assertThat(redOnNode.next("news")).isEqualTo("red-from-parley");
    assertThat(redOnParley.next("news")).isEqualTo("red-from-parley");
    assertThat(redBlueOnParley.next("news")).isEqualTo("red-from-parley");
    node.call("emit", Map.of("rooms", List.of("red"), "except", List.of("blue"), "event", "news",
        "args", List.of("red-not-blue-from-node")));
    assertThat(redOnNode.next("news")).isEqualTo("red-not-blue-from-node");
    assertThat(redOnParley.next("news")).isEqualTo("red-not-blue-from-node");
    parley.io().to("blue").emit("news", "blue-from-parley");
    assertThat(blueOnNode.next("news")).isEqualTo("blue-from-parley");
    assertThat(redBlueOnParley.next("news")).as("skipped the except-blue emit").isEqualTo("blue-from-parley");
    node.call("emit", Map.of("rooms", List.of(redOnParley.id()), "event", "direct", "args", List.of("to-you")));
    assertThat(redOnParley.next("direct")).isEqualTo("to-you");
    assertThat(redOnNode.poll("news", 300)).isNull();
    assertThat(blueOnNode.poll("news", 0)).isNull();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fetchSocketsSeesTheSocketsOfBothServers(Mode mode) throws Exception {
    start(mode);
    OfficialClient redOnNode = nodeClient("red");
    OfficialClient redOnParley = fx.client(parley, "red");
    fx.client(parley, "blue");
    List<RemoteSocket> red = parley.io().in("red").fetchSockets().get(5, TimeUnit.SECONDS);
    assertThat(red).extracting(RemoteSocket::id).containsExactlyInAnyOrder(redOnNode.id(), redOnParley.id());
    RemoteSocket fromNode = red.stream().filter(s -> s.id().equals(redOnNode.id())).findFirst().orElseThrow();
    assertThat(fromNode.data().get("node").toString()).contains("node");
    assertThat(fromNode.rooms()).containsExactlyInAnyOrder("red", redOnNode.id());
    assertThat(fromNode.handshake()).isNotNull();
    assertThat(fromNode.handshake().query()).containsEntry("room", "red");

    JsonNode fromParley = node.call("fetchSockets", Map.of("rooms", List.of("red")));
    assertThat(fromParley).hasSize(2);
    JsonNode p = find(fromParley, redOnParley.id());
    assertThat(p.get("data").get("node").asText()).isEqualTo("parley");
    assertThat(p.get("rooms")).extracting(JsonNode::asText).containsExactlyInAnyOrder("red", redOnParley.id());
    assertThat(node.call("fetchSockets")).hasSize(3);
  }

  private static JsonNode find(JsonNode sockets, String id) {
    for (JsonNode s : sockets) {
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError(id + " not in " + sockets);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverSideEmitWorksInBothDirectionsWithAndWithoutAcks(Mode mode) throws Exception {
    start(mode);
    BlockingQueue<String> onParley = new LinkedBlockingQueue<>();
    parley.io().on("hello-servers", (args, ack) -> {
      onParley.add(args.get(0).asText());
      ack.send("parley-says-hi");
    });
    parley.io().serverSideEmit("hello-servers", "one-way-from-parley");
    assertThat(node.events.poll(5, TimeUnit.SECONDS).get("arg").asText()).isEqualTo("one-way-from-parley");
    List<Args> acks = parley.io().serverSideEmitWithAck("hello-servers", Duration.ofSeconds(3), "with-ack")
        .get(5, TimeUnit.SECONDS);
    assertThat(acks).extracting(a -> a.get(0).asText()).containsExactly("node-says-hi");
    assertThat(node.events.poll(5, TimeUnit.SECONDS).get("arg").asText()).isEqualTo("with-ack");

    node.call("serverSideEmit", Map.of("event", "hello-servers", "args", List.of("one-way-from-node")));
    assertThat(onParley.poll(5, TimeUnit.SECONDS)).isEqualTo("one-way-from-node");
    JsonNode replies = node.call("serverSideEmitWithAck", Map.of("event", "hello-servers", "args", List.of("ack?")));
    assertThat(replies).extracting(JsonNode::asText).containsExactly("parley-says-hi");
    assertThat(onParley.poll(5, TimeUnit.SECONDS)).isEqualTo("ack?");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void broadcastWithAcksCollectsRepliesFromClientsOfBothServers(Mode mode) throws Exception {
    start(mode);
    nodeClient();
    fx.client(parley);
    fx.client(parley);
    List<Args> replies = parley.io().timeout(Duration.ofSeconds(3)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText())
        .containsExactlyInAnyOrder("answer-node", "answer-parley", "answer-parley");
    long start = System.nanoTime();
    JsonNode fromNode = node.call("emitWithAck", Map.of("event", "ask", "timeout", 3000));
    assertThat(fromNode).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("answer-node", "answer-parley", "answer-parley");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("every server reported its count")
        .isLessThan(Duration.ofSeconds(2));
    nodeClient("red");
    start = System.nanoTime();
    JsonNode redOnly = node.call("emitWithAck", Map.of("rooms", List.of("red"), "event", "ask", "timeout", 3000));
    assertThat(redOnly).extracting(JsonNode::asText).containsExactly("answer-node");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("Parley reported a count of 0")
        .isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void roomOperationsCrossInBothDirections(Mode mode) throws Exception {
    start(mode);
    OfficialClient redOnNode = nodeClient("red");
    OfficialClient redOnParley = fx.client(parley, "red");
    OfficialClient blueOnNode = nodeClient("blue");
    OfficialClient blueOnParley = fx.client(parley, "blue");
    parley.io().in("red").socketsJoin("gold");
    awaitMembers("gold", 2);
    fx.joined("/", "gold", "node", "parley");
    node.call("emit", Map.of("rooms", List.of("gold"), "event", "news", "args", List.of("gold")));
    assertThat(redOnNode.next("news")).isEqualTo("gold");
    assertThat(redOnParley.next("news")).isEqualTo("gold");

    node.call("socketsJoin", Map.of("rooms", List.of("blue"), "join", "silver"));
    awaitMembers("silver", 2);
    fx.joined("/", "silver", "node", "parley");
    parley.io().to("silver").emit("news", "silver");
    assertThat(blueOnNode.next("news")).isEqualTo("silver");
    assertThat(blueOnParley.next("news")).isEqualTo("silver");

    node.call("disconnectSockets", Map.of("rooms", List.of("red")));
    assertThat(redOnParley.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    parley.io().in("blue").disconnectSockets(false);
    assertThat(blueOnNode.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(redOnNode.disconnected()).isDone();
  }

  @Test
  void allRoomsListsTheRoomsOfBothServers() throws Exception {
    start(Mode.CLASSIC);
    nodeClient("red");
    fx.client(parley, "blue");
    assertThat(((RedisAdapter) parley.io().sockets().adapter()).fetchAllRooms().get(5, TimeUnit.SECONDS))
        .contains("red", "blue");
    assertThat(node.call("allRooms")).extracting(JsonNode::asText).contains("red", "blue");
  }

  @Test
  void theNodeEmitterReachesParleyClients() throws Exception {
    start(Mode.CLASSIC);
    OfficialClient red = fx.client(parley, "red");
    OfficialClient blue = fx.client(parley, "blue");
    BlockingQueue<String> serverEvents = new LinkedBlockingQueue<>();
    parley.io().on("reload", (args, ack) -> serverEvents.add(args.get(0).asText()));
    node.call("emitterEmit", Map.of("event", "news", "args", List.of("to-all", bin(9))));
    assertThat(red.next("news")).isEqualTo("to-all");
    assertThat(blue.next("news")).isEqualTo("to-all");
    node.call("emitterEmit", Map.of("rooms", List.of("blue"), "event", "blob", "args", List.of(bin(1, 2))));
    assertThat((byte[]) blue.next("blob")).containsExactly(1, 2);
    assertThat(red.poll("blob", 300)).isNull();
    node.call("emitterSocketsJoin", Map.of("rooms", List.of("red"), "join", "gold"));
    await().atMost(Duration.ofSeconds(5)).until(() -> parley.io().sockets().adapter().hasRoom("gold"));
    node.call("emitterServerSideEmit", Map.of("event", "reload", "args", List.of("now")));
    assertThat(serverEvents.poll(5, TimeUnit.SECONDS)).isEqualTo("now");
    node.call("emitterDisconnectSockets", Map.of("rooms", List.of("gold")));
    assertThat(red.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(blue.connected()).isTrue();
  }

  @Test
  void theJavaEmitterReachesNodeClients() throws Exception {
    start(Mode.CLASSIC);
    OfficialClient red = nodeClient("red");
    OfficialClient blue = nodeClient("blue");
    try (RedisEmitter emitter = RedisEmitter.create(fx.redis, fx.key)) {
      emitter.to("red").emit("news", "from-java-emitter", new byte[] {3});
      assertThat(red.next("news")).isEqualTo("from-java-emitter");
      assertThat(blue.poll("news", 300)).isNull();
      emitter.serverSideEmit("hello-servers", "from-java-emitter");
      assertThat(node.events.poll(5, TimeUnit.SECONDS).get("arg").asText()).isEqualTo("from-java-emitter");
      emitter.in("blue").disconnectSockets(true);
      assertThat(blue.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    }
  }
}
