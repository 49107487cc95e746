package io.parley.netty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.netty.ParleyServer;
import io.parley.server.AckTimeoutException;
import io.parley.server.Args;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.adapter.Adapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of a cluster adapter: every cluster-wide operation between real Parley nodes
 * ({@link ParleyServer} on ephemeral ports) joined by the adapter under test, with official Java
 * clients ({@link OfficialClient}) connected to different nodes. A subclass says how a node gets
 * its adapter ({@link #adapterFactory}), and what its backend needs waiting for; it runs every
 * scenario as its own tests. Run against the in-memory loopback bus (parley-netty) and each Redis
 * adapter with the real Redis (parley-redis).
 *
 * <p>Each node joins the rooms named in its clients' {@code room} query parameter (comma-separated)
 * and records its name in {@code socket.data.node}; each client answers {@code ask} with
 * {@code answer-<node>}.
 */
@Timeout(30)
public abstract class ClusterContract {
  /** A running node of the cluster. */
  public record Node(String name, ParleyServer server) {
    public SocketIoServer io() {
      return server.io();
    }

    public int port() {
      return server.port();
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final List<OfficialClient> clients = new ArrayList<>();
  /** nsp#room -> names of the nodes that have a client in it. */
  private final Map<String, Set<String>> roomNodes = new ConcurrentHashMap<>();
  protected Node a;
  protected Node b;

  // ---- what a backend provides ----

  /** The adapter factory of a new node (called once per node). */
  protected abstract Function<Namespace, Adapter> adapterFactory();

  /** Makes the cluster count one more server, one that never answers a request. */
  protected abstract void addSilentServer() throws Exception;

  /** Waits until {@code nsp}'s adapter on a new node is connected to the backend (nothing by default). */
  protected void awaitReady(Namespace nsp) throws Exception {}

  /**
   * Waits until the backend routes {@code room} of {@code nsp} to the {@code servers} servers that
   * have it (nothing by default; the sharded Redis adapter subscribes a channel per room).
   */
  protected void awaitRoomRoute(String nsp, String room, int servers) {}

  /** Releases the backend, after every node and client was closed (nothing by default). */
  protected void closeBackend() {}

  // ---- fixtures ----

  @BeforeEach
  void startTwoNodes() throws Exception {
    a = node("a");
    b = node("b");
  }

  @AfterEach
  void stopAll() {
    clients.forEach(OfficialClient::close);
    nodes.forEach(n -> n.server().close());
    closeBackend();
  }

  /** Starts a node and waits until its main namespace is ready. */
  protected Node node(String name) throws Exception {
    ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0).ioThreads(2)
        .server(ServerOptions.builder().adapterFactory(adapterFactory()).build()).build();
    s.io().onConnection(socket -> {
      String rooms = socket.handshake().query().get("room");
      if (rooms != null && !rooms.isEmpty()) {
        socket.join(rooms.split(","));
      }
      socket.data().put("node", name);
    });
    Node node = new Node(name, s);
    nodes.add(node);
    s.start();
    awaitReady(s.io().sockets());
    return node;
  }

  /** A client of {@code node} in {@code rooms}, returned once the cluster can route to its rooms. */
  protected OfficialClient client(Node node, String... rooms) throws Exception {
    return clientOf(node, "/", rooms);
  }

  /** A client of namespace {@code nsp} of {@code node}, in {@code rooms}. */
  protected OfficialClient clientOf(Node node, String nsp, String... rooms) throws Exception {
    String query = rooms.length == 0 ? null : "room=" + String.join(",", rooms);
    OfficialClient c = new OfficialClient(node.port(), nsp, query, node.name());
    clients.add(c);
    Namespace ns = node.io().of(nsp);
    for (String room : rooms) {
      await().atMost(Duration.ofSeconds(5)).until(() -> ns.adapter().hasRoom(room));
      Set<String> having = roomNodes.computeIfAbsent(nsp + "#" + room, k -> ConcurrentHashMap.newKeySet());
      having.add(node.name());
      awaitRoomRoute(nsp, room, having.size());
    }
    return c;
  }

  private static Adapter adapter(Node n) {
    return n.io().sockets().adapter();
  }

  // ---- broadcasts ----

  @Test
  void aBroadcastFromOneNodeReachesTheClientsOfEveryNode() throws Exception {
    OfficialClient onA = client(a);
    OfficialClient onB = client(b);
    a.io().emit("news", "hello");
    assertThat(onA.next("news")).isEqualTo("hello");
    assertThat(onB.next("news")).isEqualTo("hello");
    assertThat(onA.poll("news", 200)).as("delivered once").isNull();
  }

  @Test
  void roomsAndExceptAreHonouredAcrossNodes() throws Exception {
    OfficialClient red = client(b, "red");
    OfficialClient blue = client(b, "blue");
    OfficialClient redAndBlue = client(b, "red", "blue");
    OfficialClient redOnA = client(a, "red");
    OfficialClient none = client(b);
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
    OfficialClient onB = client(b);
    OfficialClient other = client(b);
    a.io().to(onB.id()).emit("direct", "only-you");
    assertThat(onB.next("direct")).isEqualTo("only-you");
    assertThat(other.poll("direct", 300)).isNull();
  }

  @Test
  void localBroadcastsStayOnTheirNode() throws Exception {
    OfficialClient onA = client(a);
    OfficialClient onB = client(b);
    b.io().local().emit("news", "only-b");
    assertThat(onB.next("news")).isEqualTo("only-b");
    a.io().emit("news", "marker");
    assertThat(onA.next("news")).as("only-b never left node b").isEqualTo("marker");
    assertThat(onB.next("news")).isEqualTo("marker");
  }

  @Test
  void binaryAndStructuredArgumentsCrossNodesIntact() throws Exception {
    OfficialClient onB = client(b);
    a.io().emit("blob", new byte[] {1, 2, 3}, Map.of("n", 1000, "pi", 3.25, "list", List.of(-1, "x")));
    assertThat((byte[]) onB.next("blob")).containsExactly(1, 2, 3);
  }

  // ---- broadcasts with acks ----

  @Test
  void broadcastWithAcksCollectsRepliesFromTheClientsOfEveryNode() throws Exception {
    client(a);
    client(b);
    client(b);
    List<Args> replies = a.io().timeout(Duration.ofSeconds(3)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText())
        .containsExactlyInAnyOrder("answer-a", "answer-b", "answer-b");
  }

  @Test
  void broadcastWithAcksCompletesEarlyWhenANodeHasNoMatchingClient() throws Exception {
    client(a, "red");
    client(b);
    long start = System.nanoTime();
    List<Args> replies = a.io().to("red").timeout(Duration.ofSeconds(5)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText()).containsExactly("answer-a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("b answered with clientCount 0")
        .isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void broadcastWithAcksFailsAtItsTimeoutWhenAClientOfAnotherNodeDoesNotAnswer() throws Exception {
    client(a);
    client(b);
    long start = System.nanoTime();
    // the clients answer "ask" only
    CompletableFuture<List<Args>> f = a.io().timeout(Duration.ofMillis(500)).emitWithAck("unanswered");
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(AckTimeoutException.class, e -> assertThat(e.partial()).isEmpty());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(3));
  }

  // ---- remote sockets ----

  @Test
  void fetchSocketsReturnsTheSocketsOfEveryNodeWithTheirData() throws Exception {
    OfficialClient redOnA = client(a, "red");
    OfficialClient redOnB = client(b, "red");
    client(b, "blue");
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
    OfficialClient onB = client(b);
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
    OfficialClient onA = client(a, "red");
    OfficialClient onB = client(b, "red");
    OfficialClient outside = client(b);
    b.io().in("red").socketsJoin("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> adapter(a).hasRoom("gold") && adapter(b).hasRoom("gold"));
    awaitRoomRoute("/", "gold", 2);
    a.io().to("gold").emit("news", "gold");
    assertThat(onA.next("news")).isEqualTo("gold");
    assertThat(onB.next("news")).isEqualTo("gold");
    assertThat(outside.poll("news", 300)).isNull();
    a.io().in("red").socketsLeave("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> !adapter(a).hasRoom("gold") && !adapter(b).hasRoom("gold"));
  }

  @Test
  void disconnectSocketsDisconnectsTheMatchingSocketsOfEveryNode() throws Exception {
    OfficialClient redOnA = client(a, "red");
    OfficialClient redOnB = client(b, "red");
    OfficialClient blueOnB = client(b, "blue");
    a.io().in("red").disconnectSockets(true);
    assertThat(redOnA.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(redOnB.disconnected().get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    assertThat(blueOnB.connected()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> b.io().sockets().sockets().size() == 1);
  }

  // ---- between servers ----

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
    Node c = node("c");
    for (Node n : List.of(a, b, c)) {
      awaitReady(n.io().of("/chat"));
    }
    assertThat(a.io().sockets().adapter().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(c.io().of("/chat").adapter().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
  }

  @Test
  void namespacesAreSeparateClusters() throws Exception {
    for (Node n : List.of(a, b)) {
      awaitReady(n.io().of("/chat"));
    }
    OfficialClient chatOnB = clientOf(b, "/chat");
    OfficialClient mainOnB = client(b);
    a.io().of("/chat").emit("news", "chat-only");
    assertThat(chatOnB.next("news")).isEqualTo("chat-only");
    assertThat(mainOnB.poll("news", 300)).isNull();
    assertThat(a.io().of("/chat").fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
        .containsExactly(chatOnB.id());
  }

  @Test
  void aNodeThatNeverAnswersFailsTheRequestAtItsTimeoutAndNoLater() throws Exception {
    client(b);
    addSilentServer();
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
}
