package io.parley.netty.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.netty.ParleyServer;
import io.parley.server.Args;
import io.parley.server.RemoteSocket;
import io.parley.server.ServerOptions;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** Two real servers joined by {@link LoopbackBus}: every cluster-wide operation crosses nodes. */
@Timeout(30)
class ClusterOperationsTest {
  private final LoopbackBus bus = new LoopbackBus();
  private final List<ParleyServer> servers = new ArrayList<>();
  private final List<Socket> clients = new ArrayList<>();
  private ParleyServer a;
  private ParleyServer b;

  @BeforeEach
  void start() throws Exception {
    a = node();
    b = node();
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    servers.forEach(ParleyServer::close);
    bus.close();
  }

  private ParleyServer node() throws InterruptedException {
    ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0)
        .server(ServerOptions.builder().adapterFactory(bus::adapter).build()).build();
    s.io().onConnection(socket -> {
      String room = socket.handshake().query().get("room");
      if (room != null) {
        socket.join(room);
      }
      socket.data().put("node", s == a ? "a" : "b");
    });
    servers.add(s);
    return s.start();
  }

  /** A connected client of {@code server} that records every {@code event} it receives. */
  private BlockingQueue<Object> client(ParleyServer server, String room, String event) throws Exception {
    BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    IO.Options o = IO.Options.builder().setTransports(new String[] {"websocket"}).setForceNew(true)
        .setQuery(room == null ? null : "room=" + room).build();
    Socket c = IO.socket(URI.create("http://127.0.0.1:" + server.port()), o);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    c.on(Socket.EVENT_CONNECT, x -> connected.complete(null));
    c.on(event, args -> got.add(args.length == 0 ? "" : args[0]));
    c.on("ask", args -> ((io.socket.client.Ack) args[args.length - 1]).call("answer-" + server.port()));
    c.connect();
    clients.add(c);
    connected.get(5, TimeUnit.SECONDS);
    return got;
  }

  @Test
  void aBroadcastFromOneNodeReachesClientsOfTheOther() throws Exception {
    BlockingQueue<Object> onA = client(a, null, "news");
    BlockingQueue<Object> onB = client(b, null, "news");
    a.io().emit("news", "hello");
    assertThat(onA.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
  }

  @Test
  void roomsAndExceptAreHonouredAcrossNodes() throws Exception {
    BlockingQueue<Object> red = client(b, "red", "news");
    BlockingQueue<Object> blue = client(b, "blue", "news");
    BlockingQueue<Object> redOnA = client(a, "red", "news");
    a.io().to("red", "blue").except("blue").emit("news", 1);
    assertThat(red.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(redOnA.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
    a.io().to("blue").emit("news", 2);
    assertThat(blue.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(red.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void localBroadcastsStayOnTheirNode() throws Exception {
    BlockingQueue<Object> onA = client(a, null, "news");
    BlockingQueue<Object> onB = client(b, null, "news");
    b.io().local().emit("news", "only-b");
    assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo("only-b");
    a.io().emit("news", "marker");
    assertThat(onA.poll(5, TimeUnit.SECONDS)).isEqualTo("marker");
    assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo("marker");
  }

  @Test
  void fetchSocketsReturnsSocketsOfEveryNodeWithTheirData() throws Exception {
    client(a, "red", "x");
    client(b, "red", "x");
    client(b, "blue", "x");
    List<RemoteSocket> red = a.io().in("red").fetchSockets().get(5, TimeUnit.SECONDS);
    assertThat(red).hasSize(2);
    assertThat(red).extracting(s -> String.valueOf(s.data().get("node")).replace("\"", ""))
        .containsExactlyInAnyOrder("a", "b");
    assertThat(red).allSatisfy(s -> assertThat(s.rooms()).contains("red", s.id()));
    assertThat(a.io().fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(3);
  }

  @Test
  void remoteSocketsCanBeEmittedToJoinedAndDisconnected() throws Exception {
    BlockingQueue<Object> onB = client(b, null, "direct");
    RemoteSocket remote = a.io().fetchSockets().get(5, TimeUnit.SECONDS).get(0);
    remote.emit("direct", "to-you");
    assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo("to-you");
    remote.join("green");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.io().sockets().adapter().allRooms().contains("green"));
    a.io().in("green").disconnectSockets(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.io().sockets().sockets().isEmpty());
  }

  @Test
  void socketsJoinAndLeaveApplyOnEveryNode() throws Exception {
    BlockingQueue<Object> onA = client(a, "red", "news");
    BlockingQueue<Object> onB = client(b, "red", "news");
    b.io().in("red").socketsJoin("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> a.io().sockets().adapter().allRooms().contains("gold")
        && b.io().sockets().adapter().allRooms().contains("gold"));
    a.io().to("gold").emit("news", "gold");
    assertThat(onA.poll(5, TimeUnit.SECONDS)).isEqualTo("gold");
    assertThat(onB.poll(5, TimeUnit.SECONDS)).isEqualTo("gold");
    a.io().in("red").socketsLeave("gold");
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.io().sockets().adapter().allRooms().contains("gold")
        && !b.io().sockets().adapter().allRooms().contains("gold"));
  }

  @Test
  void broadcastWithAcksCollectsRepliesFromClientsOfEveryNode() throws Exception {
    client(a, null, "x");
    client(b, null, "x");
    client(b, null, "x");
    List<Args> replies = a.io().timeout(Duration.ofSeconds(3)).emitWithAck("ask").get(5, TimeUnit.SECONDS);
    assertThat(replies).extracting(r -> r.get(0).asText())
        .containsExactlyInAnyOrder("answer-" + a.port(), "answer-" + b.port(), "answer-" + b.port());
  }

  @Test
  void serverSideEmitReachesTheOtherNodesAndCollectsTheirAcks() throws Exception {
    BlockingQueue<String> seenOnB = new LinkedBlockingQueue<>();
    b.io().on("hello-servers", (args, ack) -> {
      seenOnB.add(args.get(0).asText());
      ack.send("b-says-hi");
    });
    a.io().on("hello-servers", (args, ack) -> seenOnB.add("a must not see its own emit"));
    a.io().serverSideEmit("hello-servers", "one-way");
    assertThat(seenOnB.poll(5, TimeUnit.SECONDS)).isEqualTo("one-way");
    List<Args> acks = a.io().serverSideEmitWithAck("hello-servers", Duration.ofSeconds(3), "with-ack")
        .get(5, TimeUnit.SECONDS);
    assertThat(seenOnB.poll(5, TimeUnit.SECONDS)).isEqualTo("with-ack");
    assertThat(acks).extracting(r -> r.get(0).asText()).containsExactly("b-says-hi");
    assertThat(seenOnB).isEmpty();
  }

  @Test
  void aNodeThatNeverAnswersFailsTheRequestAtItsTimeoutAndNoLater() throws Exception {
    client(b, null, "x");
    bus.ghosts = 1;
    long start = System.nanoTime();
    CompletableFuture<List<RemoteSocket>> f = a.io().timeout(Duration.ofMillis(500)).fetchSockets();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("only 1 responses received out of 2");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
