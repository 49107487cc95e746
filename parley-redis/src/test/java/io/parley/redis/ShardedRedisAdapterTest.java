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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sharded adapter beyond the cluster contract ({@link ShardedRedisContractTest}): its wire format and subscription modes. */
class ShardedRedisAdapterTest extends RedisClusterScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  RedisFixture.Mode mode() {
    return RedisFixture.Mode.SHARDED;
  }

  /** Records what is published on these shard channels. */
  BlockingQueue<JsonNode> tap(String... channels) {
    BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
    StatefulRedisPubSubConnection<byte[], byte[]> c = fx.redis.connectPubSub(ByteArrayCodec.INSTANCE);
    fx.closeLater(c::close);
    c.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void smessage(byte[] channel, byte[] message) {
        try {
          JsonNode body = message[0] == '{' ? JSON.readTree(message) : Msgpack.decode(message);
          seen.add(JSON.createObjectNode().put("channel", new String(channel, StandardCharsets.UTF_8))
              .put("format", message[0] == '{' ? "json" : "msgpack").set("body", body));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    for (String ch : channels) {
      c.sync().ssubscribe(ch.getBytes(StandardCharsets.UTF_8));
    }
    return seen;
  }

  static JsonNode next(BlockingQueue<JsonNode> q) throws InterruptedException {
    JsonNode n = q.poll(5, TimeUnit.SECONDS);
    assertThat(n).as("a message on the wire").isNotNull();
    return n;
  }

  List<String> roomChannels() {
    return fx.admin.pubsubShardChannels(fx.key + "#/#*");
  }

  @Test
  void messagesHaveTheReferenceWireFormat() throws Exception {
    String uid = ((ShardedRedisAdapter) adapter(a)).uid();
    assertThat(uid).hasSize(16);
    BlockingQueue<JsonNode> wire = tap(fx.key + "#/#room1#", fx.key + "#/#");
    a.io().to("room1").except("room2").emit("evt", "to-room1");
    JsonNode m = next(wire);
    assertThat(m.get("channel").asText()).isEqualTo(fx.key + "#/#room1#");
    assertThat(m.get("format").asText()).isEqualTo("json");
    assertThat(m.get("body")).isEqualTo(JSON.readTree("""
        {"type":3,"data":{"packet":{"type":2,"data":["evt","to-room1"]},
         "opts":{"rooms":["room1"],"except":["room2"],"flags":{}}},"uid":"%s","nsp":"/"}""".formatted(uid)));

    a.io().emit("evt", 1, new byte[] {1, 2, 3});
    m = next(wire);
    assertThat(m.get("channel").asText()).isEqualTo(fx.key + "#/#");
    assertThat(m.get("format").asText()).isEqualTo("msgpack");
    assertThat(m.get("body").get("data").get("packet").get("data").get(2).binaryValue()).containsExactly(1, 2, 3);

    OfficialClient c = fx.client(b);
    a.io().to(c.id()).emit("evt", "private");
    assertThat(next(wire).get("channel").asText()).as("socket ids use the main channel in dynamic mode")
        .isEqualTo(fx.key + "#/#");
  }

  @Test
  void dynamicModeGivesEachPublicRoomAChannelWhileTheRoomExists() throws Exception {
    OfficialClient red = fx.client(b, "red");
    assertThat(roomChannels()).contains(fx.key + "#/#red#").doesNotContain(fx.key + "#/#" + red.id() + "#");
    assertThat(((ShardedRedisAdapter) adapter(b)).roomChannels()).containsExactly("red");
    red.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !roomChannels().contains(fx.key + "#/#red#"));
  }

  @Test
  void dynamicPrivateModeGivesSocketIdsAChannelToo() throws Exception {
    fx.close();
    fx = new RedisFixture(mode(), o -> o.subscriptionMode(SubscriptionMode.DYNAMIC_PRIVATE));
    a = fx.node("a");
    b = fx.node("b");
    OfficialClient red = fx.client(b, "red");
    String privateChannel = fx.key + "#/#" + red.id() + "#";
    await().atMost(Duration.ofSeconds(5)).until(() -> roomChannels().contains(privateChannel));
    BlockingQueue<JsonNode> wire = tap(privateChannel);
    a.io().to(red.id()).emit("direct", "hi");
    assertThat(red.next("direct")).isEqualTo("hi");
    assertThat(next(wire).get("channel").asText()).isEqualTo(privateChannel);
  }

  @Test
  void staticModeUsesTwoChannelsPerNamespaceAndStillReachesRooms() throws Exception {
    fx.close();
    fx = new RedisFixture(mode(), o -> o.subscriptionMode(SubscriptionMode.STATIC));
    a = fx.node("a");
    b = fx.node("b");
    OfficialClient red = fx.client(b, "red");
    String uidA = ((ShardedRedisAdapter) adapter(a)).uid();
    String uidB = ((ShardedRedisAdapter) adapter(b)).uid();
    assertThat(roomChannels()).containsExactlyInAnyOrder(fx.key + "#/#", fx.key + "#/#" + uidA + "#",
        fx.key + "#/#" + uidB + "#");
    a.io().to("red").emit("news", "static");
    assertThat(red.next("news")).isEqualTo("static");
  }
}
