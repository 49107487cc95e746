package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.redis.RedisFixture.Node;
import io.parley.server.adapter.Adapter;
import io.parley.server.RemoteSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the classic and sharded adapters share beyond the cluster contract (which
 * {@link ClassicRedisContractTest} and {@link ShardedRedisContractTest} run): their Redis
 * connections, one pair per server, and delivery resuming after those connections are killed.
 * Real Parley nodes through the real Redis; run once per adapter by the subclasses.
 */
@Timeout(30)
abstract class RedisClusterScenarios {
  RedisFixture fx;
  Node a;
  Node b;

  abstract RedisFixture.Mode mode();

  RedisFixture fixture() {
    return new RedisFixture(mode());
  }

  @BeforeEach
  void start() throws Exception {
    fx = fixture();
    a = fx.node("a");
    b = fx.node("b");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  static Adapter adapter(Node n) {
    return n.io().sockets().adapter();
  }

  static CompletableFuture<List<Long>> redisClientIds(Node n) {
    return redisClientIds(n, "/");
  }

  static CompletableFuture<List<Long>> redisClientIds(Node n, String nsp) {
    Adapter adapter = n.io().of(nsp).adapter();
    return adapter instanceof RedisAdapter r ? r.redisClientIds() : ((ShardedRedisAdapter) adapter).redisClientIds();
  }

  @Test
  void theNamespacesOfAServerShareOnePairOfRedisConnections() throws Exception {
    Node c = fx.node("c");
    for (Node n : List.of(a, b, c)) {
      RedisFixture.awaitReady(n.io().of("/chat"));
    }
    assertThat(redisClientIds(a).get(5, TimeUnit.SECONDS)).as("one pair of connections per server")
        .hasSize(2).isEqualTo(redisClientIds(a, "/chat").get(5, TimeUnit.SECONDS))
        .doesNotContainAnyElementsOf(redisClientIds(c).get(5, TimeUnit.SECONDS));
  }

  @Test
  @Timeout(60)
  void deliveryResumesAfterTheRedisConnectionsOfANodeAreKilled() throws Exception {
    OfficialClient onB = fx.client(b, "red");
    List<Long> before = redisClientIds(b).get(5, TimeUnit.SECONDS);
    fx.killConnections(before);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      a.io().emit("news", "after-kill");
      return onB.poll("news", 100) != null;
    });
    List<Long> after = redisClientIds(b).get(5, TimeUnit.SECONDS);
    assertThat(after).as("new connections").doesNotContainAnyElementsOf(before);
    // Room channels, requests and responses are back too.
    fx.awaitRoomChannel("/", "red", 1);
    onB.clear("news");
    a.io().to("red").emit("news", "red-after-kill");
    assertThat(onB.next("news")).isEqualTo("red-after-kill");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> a.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS) == 2);
    assertThat(a.io().fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id).contains(onB.id());
    assertThat(b.io().fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id).contains(onB.id());
  }
}
