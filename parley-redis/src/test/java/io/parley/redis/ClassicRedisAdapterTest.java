package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.redis.internal.Msgpack;
import io.parley.server.Args;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The classic adapter beyond the cluster contract ({@link ClassicRedisContractTest}): its wire format, allRooms, the emitter and response channels. */
class ClassicRedisAdapterTest extends RedisClusterScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  RedisFixture.Mode mode() {
    return RedisFixture.Mode.CLASSIC;
  }

  /** A message seen on the wire. */
  record Wire(String channel, byte[] payload) {
    JsonNode decode() throws Exception {
      return payload[0] == '{' ? JSON.readTree(payload) : Msgpack.decode(payload);
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Records what is published on channels matching {@code pattern}; patterns do not count in NUMSUB. */
  BlockingQueue<Wire> tap(String pattern) {
    BlockingQueue<Wire> seen = new LinkedBlockingQueue<>();
    StatefulRedisPubSubConnection<byte[], byte[]> c = fx.redis.connectPubSub(ByteArrayCodec.INSTANCE);
    fx.closeLater(c::close);
    c.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] p, byte[] channel, byte[] message) {
        seen.add(new Wire(new String(channel, StandardCharsets.UTF_8), message));
      }
    });
    c.sync().psubscribe(pattern.getBytes(StandardCharsets.UTF_8));
    return seen;
  }

  static Wire next(BlockingQueue<Wire> q) throws InterruptedException {
    Wire w = q.poll(5, TimeUnit.SECONDS);
    assertThat(w).as("a message on the wire").isNotNull();
    return w;
  }

  @Test
  void broadcastsAndRequestsHaveTheReferenceWireFormat() throws Exception {
    BlockingQueue<Wire> wire = tap(fx.key + "*");
    String uid = ((RedisAdapter) adapter(a)).uid();
    assertThat(uid).hasSize(6);

    a.io().to("room1").except("room2").emit("evt", "to-room1");
    Wire w = next(wire);
    assertThat(w.channel()).isEqualTo(fx.key + "#/#room1#");
    assertThat(w.decode()).isEqualTo(JSON.readTree("""
        ["%s",{"type":2,"data":["evt","to-room1"],"nsp":"/"},{"rooms":["room1"],"except":["room2"],"flags":{}}]"""
        .formatted(uid)));

    a.io().emit("evt", new byte[] {1, 2, 3});
    w = next(wire);
    assertThat(w.channel()).isEqualTo(fx.key + "#/#");
    assertThat(w.payload()).containsSequence(0xc4, 3, 1, 2, 3);

    a.io().in("room1").socketsJoin("room9");
    w = next(wire);
    assertThat(w.channel()).isEqualTo(fx.key + "-request#/#");
    assertThat(w.text()).startsWith("{");
    assertThat(w.decode()).isEqualTo(JSON.readTree("""
        {"uid":"%s","type":2,"opts":{"rooms":["room1"],"except":[]},"rooms":["room9"]}""".formatted(uid)));

    a.io().serverSideEmit("hello-servers", 2);
    assertThat(next(wire).decode()).isEqualTo(JSON.readTree("""
        {"uid":"%s","type":6,"data":["hello-servers",2]}""".formatted(uid)));

    a.io().disconnectSockets(false);
    assertThat(next(wire).decode()).isEqualTo(JSON.readTree("""
        {"uid":"%s","type":4,"opts":{"rooms":[],"except":[]},"close":false}""".formatted(uid)));
  }

  @Test
  void aBroadcastWithAckIsAMsgpackRequestAnsweredByACountThenTheAcks() throws Exception {
    fx.client(b);
    BlockingQueue<Wire> wire = tap(fx.key + "-*");
    a.io().timeout(Duration.ofSeconds(2)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    Wire request = next(wire);
    assertThat(request.channel()).isEqualTo(fx.key + "-request#/#");
    assertThat(request.payload()[0]).as("msgpack map").isEqualTo((byte) 0x85);
    JsonNode r = request.decode();
    assertThat(r.get("type").asInt()).isEqualTo(7);
    assertThat(r.get("requestId").asText()).hasSize(6);
    assertThat(r.get("opts").get("flags").get("timeout").asInt()).isEqualTo(2000);
    Wire count = next(wire);
    assertThat(count.channel()).isEqualTo(fx.key + "-response#/#");
    assertThat(count.decode()).isEqualTo(JSON.readTree("""
        {"type":8,"requestId":"%s","clientCount":1}""".formatted(r.get("requestId").asText())));
    Wire ack = next(wire);
    assertThat(ack.payload()[0]).isNotEqualTo((byte) '{');
    assertThat(ack.decode()).isEqualTo(JSON.readTree("""
        {"type":9,"requestId":"%s","packet":"answer-b"}""".formatted(r.get("requestId").asText())));
  }

  @Test
  void allRoomsListsTheRoomsOfEveryNode() throws Exception {
    OfficialClient red = fx.client(a, "red");
    OfficialClient blue = fx.client(b, "blue");
    Set<String> rooms = ((RedisAdapter) adapter(a)).fetchAllRooms().get(5, TimeUnit.SECONDS);
    assertThat(rooms).contains("red", "blue", red.id(), blue.id());
  }

  @Test
  void answersCanGoToTheRequestersOwnResponseChannel() throws Exception {
    fx.close();
    fx = new RedisFixture(mode(), o -> o.publishOnSpecificResponseChannel(true));
    a = fx.node("a");
    b = fx.node("b");
    OfficialClient onB = fx.client(b, "red");
    b.io().on("ping", (args, ack) -> ack.send("pong"));
    BlockingQueue<Wire> wire = tap(fx.key + "-response#*");
    String uidA = ((RedisAdapter) adapter(a)).uid();
    assertThat(a.io().fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(1);
    assertThat(next(wire).channel()).isEqualTo(fx.key + "-response#/#" + uidA + "#");
    assertThat(a.io().timeout(Duration.ofSeconds(2)).emitWithAck("ask").get(5, TimeUnit.SECONDS))
        .extracting(x -> x.get(0).asText()).containsExactly("answer-b");
    List<Args> pong = a.io().serverSideEmitWithAck("ping", Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
    assertThat(pong).extracting(x -> x.get(0).asText()).containsExactly("pong");
    assertThat(onB.connected()).isTrue();
  }

  @Test
  void aDynamicNamespaceRemovedWhenEmptyLeavesItsChannels() throws Exception {
    RedisFixture.Node c = fx.node("c", o -> o.cleanupEmptyChildNamespaces(true));
    c.io().of(Pattern.compile("/dyn-\\d+"));
    String requestChannel = fx.key + "-request#/dyn-1#";
    OfficialClient dyn = fx.clientOf(c, "/dyn-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> fx.subscribers(requestChannel) == 1);
    dyn.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !c.io().namespaceNames().contains("/dyn-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> fx.subscribers(requestChannel) == 0);
    assertThat(fx.subscribers(fx.key + "-request#/#")).as("the server's other namespaces stay").isEqualTo(3);
  }

  @Test
  void theJavaEmitterReachesTheClientsOfEveryNode() throws Exception {
    OfficialClient redOnA = fx.client(a, "red");
    OfficialClient blueOnB = fx.client(b, "blue");
    BlockingQueue<String> serverEvents = new LinkedBlockingQueue<>();
    a.io().on("reload", (args, ack) -> serverEvents.add("a:" + args.get(0).asText()));
    b.io().on("reload", (args, ack) -> serverEvents.add("b:" + args.get(0).asText()));
    try (RedisEmitter emitter = RedisEmitter.create(fx.redis, fx.key)) {
      emitter.emit("news", "to-all", new byte[] {7}).get(5, TimeUnit.SECONDS);
      assertThat(redOnA.next("news")).isEqualTo("to-all");
      assertThat(blueOnB.next("news")).isEqualTo("to-all");
      emitter.to("blue").emit("news", "to-blue");
      assertThat(blueOnB.next("news")).isEqualTo("to-blue");
      assertThat(redOnA.poll("news", 300)).isNull();
      emitter.to("red", "blue").except("red").emit("news", "blue-again");
      assertThat(blueOnB.next("news")).isEqualTo("blue-again");
      assertThat(redOnA.poll("news", 300)).isNull();

      emitter.in("red").socketsJoin("gold").get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> adapter(a).hasRoom("gold"));
      emitter.in("gold").socketsLeave("gold");
      await().atMost(Duration.ofSeconds(5)).until(() -> !adapter(a).hasRoom("gold"));

      emitter.serverSideEmit("reload", "now");
      assertThat(List.of(serverEvents.poll(5, TimeUnit.SECONDS), serverEvents.poll(5, TimeUnit.SECONDS)))
          .containsExactlyInAnyOrder("a:now", "b:now");

      emitter.of("chat").emit("news", "elsewhere");
      emitter.in("blue").disconnectSockets(false);
      assertThat(blueOnB.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
      assertThat(blueOnB.poll("news", 0)).as("nothing from /chat").isNull();
      assertThat(redOnA.connected()).isTrue();
    }
  }

  @Test
  void theJavaEmitterWritesWhatTheNodeEmitterWrites() throws Exception {
    BlockingQueue<Wire> wire = tap(fx.key + "*");
    try (RedisEmitter emitter = RedisEmitter.create(fx.redis, fx.key)) {
      emitter.to("room1").asVolatile().emit("evt", 1000);
      Wire w = next(wire);
      assertThat(w.channel()).isEqualTo(fx.key + "#/#room1#");
      assertThat(w.decode()).isEqualTo(JSON.readTree("""
          ["emitter",{"type":2,"data":["evt",1000],"nsp":"/"},{"rooms":["room1"],"flags":{"volatile":true},"except":[]}]"""));
      assertThat(w.payload()).containsSequence(0xcd, 0x03, 0xe8);
      emitter.of("admin").in("room1").socketsJoin("room2");
      w = next(wire);
      assertThat(w.channel()).isEqualTo(fx.key + "-request#/admin#");
      assertThat(w.text()).isEqualTo("{\"type\":2,\"opts\":{\"rooms\":[\"room1\"],\"except\":[]},\"rooms\":[\"room2\"]}");
      emitter.serverSideEmit("hello", "x");
      assertThat(next(wire).text()).isEqualTo("{\"uid\":\"emitter\",\"type\":6,\"data\":[\"hello\",\"x\"]}");
    }
  }
}
