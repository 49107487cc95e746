package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.redis.RedisFixture.Node;
import io.parley.server.adapter.Adapter;
import io.parley.server.Args;
import io.parley.server.RemoteSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every cluster-wide operation between real Parley nodes through the real Redis, with official
 * Java clients connected to different nodes. Run once per adapter by the subclasses.
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
  void aBroadcastFromOneNodeReachesTheClientsOfEveryNode() throws Exception {
    OfficialClient onA = fx.client(a);
    OfficialClient onB = fx.client(b);
    a.io().emit("news", "hello");
    assertThat(onA.next("news")).isEqualTo("hello");
    assertThat(onB.next("news")).isEqualTo("hello");
    assertThat(onA.poll("news", 200)).as("delivered once").isNull();
  }

  @Test
  void roomsAndExceptAreHonouredAcrossNodes() throws Exception {
    OfficialClient red = fx.client(b, "red");
    OfficialClient blue = fx.client(b, "blue");
    OfficialClient redAndBlue = fx.client(b, "red", "blue");
    OfficialClient redOnA = fx.client(a, "red");
    OfficialClient none = fx.client(b);
    a.io().to("red", "blue").except("blue").emit("news", 1);
    assertThat(red.next("news")).isEqualTo(1);
    assertThat(redOnA.next("news")).isEqualTo(1);
    a.io().to("blue").emit("news", 2);
    assertThat(blue.next("news")).isEqualTo(2);
    assertThat(redAndBlue.next("news")).isEqualTo(2);
    a.io().to("red").emit("news", 3);
    assertThat(red.next("news")).isEqualTo(3);
    assertThat(redAndBlue.next("news")).as("excluded from 1, reached by 2 and 3").isEqualTo(3);
    assertThat(redOnA.next("news")).isEqualTo(3);
    assertThat(none.poll("news", 300)).isNull();
    assertThat(blue.poll("news", 0)).isNull();
  }

  @Test
  void aBroadcastToOneSocketIdReachesItOnAnotherNode() throws Exception {
    OfficialClient onB = fx.client(b);
    OfficialClient other = fx.client(b);
    a.io().to(onB.id()).emit("direct", "only-you");
    assertThat(onB.next("direct")).isEqualTo("only-you");
    assertThat(other.poll("direct", 300)).isNull();
  }

  @Test
  void localBroadcastsStayOnTheirNode() throws Exception {
    OfficialClient onA = fx.client(a);
    OfficialClient onB = fx.client(b);
    b.io().local().emit("news", "only-b");
    assertThat(onB.next("news")).isEqualTo("only-b");
    a.io().emit("news", "marker");
    assertThat(onA.next("news")).isEqualTo("marker");
    assertThat(onB.next("news")).as("only-b never went through Redis").isEqualTo("marker");
  }

  @Test
  void binaryAndStructuredArgumentsCrossNodesIntact() throws Exception {
    OfficialClient onB = fx.client(b);
    a.io().emit("blob", new byte[] {1, 2, 3}, Map.of("n", 1000, "pi", 3.25, "list", List.of(-1, "x")));
    assertThat((byte[]) onB.next("blob")).containsExactly(1, 2, 3);
  }

  @Test
  void broadcastWithAcksCollectsRepliesFromTheClientsOfEveryNode() throws Exception {
    fx.client(a);
    fx.client(b);
    fx.client(b);
    List<Args> replies = a.io().timeout(Duration.ofSeconds(3)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText())
        .containsExactlyInAnyOrder("answer-a", "answer-b", "answer-b");
  }

  @Test
  void broadcastWithAcksCompletesEarlyWhenANodeHasNoMatchingClient() throws Exception {
    fx.client(a, "red");
    fx.client(b);
    long start = System.nanoTime();
    List<Args> replies = a.io().to("red").timeout(Duration.ofSeconds(5)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText()).containsExactly("answer-a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("b answered with clientCount 0")
        .isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void fetchSocketsReturnsTheSocketsOfEveryNodeWithTheirData() throws Exception {
    OfficialClient redOnA = fx.client(a, "red");
    OfficialClient redOnB = fx.client(b, "red");
    fx.client(b, "blue");
    List<RemoteSocket> red = a.io().in("red").fetchSockets().get(5, TimeUnit.SECONDS);
    assertThat(red).extracting(RemoteSocket::id).containsExactlyInAnyOrder(redOnA.id(), redOnB.id());
    assertThat(red).extracting(s -> String.valueOf(s.data().get("node")).replace("\"", ""))
        .containsExactlyInAnyOrder("a", "b");
    assertThat(red).allSatisfy(s -> assertThat(s.rooms()).contains("red", s.id()));
    RemoteSocket remote = red.stream().filter(s -> s.id().equals(redOnB.id())).findFirst().orElseThrow();
    assertThat(remote.handshake()).isNotNull();
    assertThat(remote.handshake().query()).containsEntry("room", "red");
    assertThat(a.io().fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(3);
    assertThat(b.io().except("red").fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(1);
  }

  @Test
  void aRemoteSocketCanBeEmittedToJoinedLeftAndDisconnected() throws Exception {
    OfficialClient onB = fx.client(b);
    RemoteSocket remote = a.io().fetchSockets().get(5, TimeUnit.SECONDS).get(0);
    remote.emit("direct", "to-you");
    assertThat(onB.next("direct")).isEqualTo("to-you");
    remote.join("green");
    await().atMost(Duration.ofSeconds(5)).until(() -> adapter(b).hasRoom("green"));
    remote.leave("green");
    await().atMost(Duration.ofSeconds(5)).until(() -> !adapter(b).hasRoom("green"));
    remote.disconnect(false);
    assertThat(onB.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
  }

  @Test
  void socketsJoinAndLeaveApplyOnEveryNode() throws Exception {
    OfficialClient onA = fx.client(a, "red");
    OfficialClient onB = fx.client(b, "red");
    OfficialClient outside = fx.client(b);
    b.io().in("red").socketsJoin("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> adapter(a).hasRoom("gold") && adapter(b).hasRoom("gold"));
    fx.awaitRoomChannel("/", "gold", 2);
    a.io().to("gold").emit("news", "gold");
    assertThat(onA.next("news")).isEqualTo("gold");
    assertThat(onB.next("news")).isEqualTo("gold");
    assertThat(outside.poll("news", 300)).isNull();
    a.io().in("red").socketsLeave("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> !adapter(a).hasRoom("gold") && !adapter(b).hasRoom("gold"));
  }

  @Test
  void disconnectSocketsDisconnectsTheMatchingSocketsOfEveryNode() throws Exception {
    OfficialClient redOnA = fx.client(a, "red");
    OfficialClient redOnB = fx.client(b, "red");
    OfficialClient blueOnB = fx.client(b, "blue");
    a.io().in("red").disconnectSockets(true);
    assertThat(redOnA.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(redOnB.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(blueOnB.connected()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> b.io().sockets().sockets().size() == 1);
  }

  @Test
  void serverSideEmitReachesTheOtherNodesAndCollectsTheirAcks() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    b.io().on("hello-servers", (args, ack) -> {
      seen.add("b:" + args.get(0).asText());
      ack.send("b-says-hi");
    });
    a.io().on("hello-servers", (args, ack) -> seen.add("a must not hear its own emit"));
    a.io().serverSideEmit("hello-servers", "one-way");
    assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("b:one-way");
    List<Args> acks = a.io().serverSideEmitWithAck("hello-servers", Duration.ofSeconds(3), "with-ack")
        .get(5, TimeUnit.SECONDS);
    assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("b:with-ack");
    assertThat(acks).extracting(r -> r.get(0).asText()).containsExactly("b-says-hi");
    assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void theServerCountCountsEveryNodeOnceWhateverItsNamespaces() throws Exception {
    Node c = fx.node("c");
    for (Node n : List.of(a, b, c)) {
      RedisFixture.awaitReady(n.io().of("/chat"));
    }
    assertThat(a.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(c.io().of("/chat").adapter().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(redisClientIds(a).get(5, TimeUnit.SECONDS)).as("one pair of connections per server")
        .hasSize(2).isEqualTo(redisClientIds(a, "/chat").get(5, TimeUnit.SECONDS))
        .doesNotContainAnyElementsOf(redisClientIds(c).get(5, TimeUnit.SECONDS));
  }

  @Test
  void namespacesAreSeparateClusters() throws Exception {
    for (Node n : List.of(a, b)) {
      RedisFixture.awaitReady(n.io().of("/chat"));
    }
    OfficialClient chatOnB = fx.clientOf(b, "/chat");
    OfficialClient mainOnB = fx.client(b);
    a.io().of("/chat").emit("news", "chat-only");
    assertThat(chatOnB.next("news")).isEqualTo("chat-only");
    assertThat(mainOnB.poll("news", 300)).isNull();
    assertThat(a.io().of("/chat").fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
        .containsExactly(chatOnB.id());
  }

  @Test
  void aNodeThatNeverAnswersFailsTheRequestAtItsTimeoutAndNoLater() throws Exception {
    fx.client(b);
    fx.ghostServer();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> a.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS) == 3);
    long start = System.nanoTime();
    CompletableFuture<List<RemoteSocket>> f = a.io().timeout(Duration.ofMillis(500)).fetchSockets();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("only 1 responses received out of 2");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    CompletableFuture<List<Args>> g = a.io().serverSideEmitWithAck("hello-servers", Duration.ofMillis(500));
    assertThatThrownBy(() -> g.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
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
