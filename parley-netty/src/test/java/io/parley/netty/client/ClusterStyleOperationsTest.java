package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.awaitUntil;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.namesUntil;
import static io.parley.netty.client.ClientKit.once;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.recordAll;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.Args;
import io.parley.server.DisconnectReason;
import io.parley.server.RemoteSocket;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cluster-wide operations of the server API, on a single node with the in-memory adapter. */
@Timeout(20)
class ClusterStyleOperationsTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  record Member(Socket client, BlockingQueue<Object[]> received, io.parley.server.Socket socket,
      BlockingQueue<DisconnectReason> serverReasons) {}

  private TestServer server;

  private Member member(Transport transport, Map<String, String> auth, String... rooms) {
    Socket client = kit.socket(server, transport, "/", o -> o.auth = auth);
    BlockingQueue<Object[]> received = recordAll(client);
    connect(client);
    io.parley.server.Socket socket = serverSocket(server, client);
    BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
    socket.onDisconnect(reasons::add);
    socket.join(rooms);
    return new Member(client, received, socket, reasons);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void fetchSocketsShowsIdHandshakeRoomsAndData(Transport transport) {
    server = kit.server(io -> io.use(s -> s.data().put("user", s.handshake().auth().path("user").asText())));
    Member ada = member(transport, Map.of("user", "ada"), "staff");
    member(transport, Map.of("user", "bob"));

    List<RemoteSocket> staff = await(server.io().in("staff").fetchSockets());

    assertThat(staff).hasSize(1);
    RemoteSocket r = staff.get(0);
    assertThat(r.id()).isEqualTo(ada.client().id());
    assertThat(r.rooms()).containsExactlyInAnyOrder(ada.client().id(), "staff");
    assertThat(r.data()).containsExactly(Map.entry("user", "ada"));
    assertThat(r.handshake().auth()).isEqualTo(json("{'user':'ada'}"));
    assertThat(r.handshake().query()).containsEntry("EIO", "4");
    assertThat(await(server.io().fetchSockets())).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void dataWrittenAfterConnectingIsVisibleThroughFetchSockets(Transport transport) {
    server = kit.server(io -> io.onConnection(s -> s.on("set", (args, ack) -> {
      s.data().put(args.get(0).asText(), args.get(1).asInt());
      ack.send();
    })));
    Member m = member(transport, Map.of());

    CompletableFuture<Object[]> done = new CompletableFuture<>();
    m.client().emit("set", new Object[] {"score", 7}, ClientKit.ack(done));
    await(done);

    RemoteSocket r = await(server.io().fetchSockets()).get(0);
    assertThat(r.data()).containsExactly(Map.entry("score", 7));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRemoteSocketActsOnTheLiveSocket(Transport transport) {
    server = kit.server(io -> { });
    Member m = member(transport, Map.of());
    RemoteSocket r = await(server.io().fetchSockets()).get(0);

    r.join("r1", "r2");
    r.leave("r2");
    r.emit("hello", 1);

    assertThat(m.socket().rooms()).containsExactlyInAnyOrder(m.socket().id(), "r1");
    assertThat(poll(m.received())).containsExactly("hello", 1);

    r.disconnect(false);
    assertThat(poll(m.serverReasons())).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void socketsJoinAndSocketsLeaveMoveTheTargetedSockets(Transport transport) {
    server = kit.server(io -> { });
    Member a = member(transport, Map.of(), "a");
    Member b = member(transport, Map.of(), "b");
    Member ab = member(transport, Map.of(), "a", "b");

    server.io().in("a").socketsJoin("c", "d");
    assertThat(a.socket().rooms()).contains("c", "d");
    assertThat(ab.socket().rooms()).contains("c", "d");
    assertThat(b.socket().rooms()).doesNotContain("c", "d");

    server.io().in("b").socketsLeave("c");
    assertThat(ab.socket().rooms()).containsExactlyInAnyOrder(ab.socket().id(), "a", "b", "d");
    assertThat(a.socket().rooms()).containsExactlyInAnyOrder(a.socket().id(), "a", "c", "d");

    server.io().socketsJoin("everyone");
    server.io().except("a").socketsLeave("everyone");
    assertThat(await(server.io().in("everyone").fetchSockets())).map(RemoteSocket::id)
        .containsExactlyInAnyOrder(a.socket().id(), ab.socket().id());
    assertThat(b.socket().rooms()).doesNotContain("everyone");

    server.io().to("c").emit("news");
    server.io().emit("fence");
    assertThat(namesUntil(a.received(), "fence")).containsExactly("news");
    assertThat(namesUntil(b.received(), "fence")).isEmpty();
    assertThat(namesUntil(ab.received(), "fence")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void disconnectSocketsWithoutCloseLeavesTheConnectionsOfOthers(Transport transport) {
    server = kit.server(io -> { });
    Member a = member(transport, Map.of(), "a");
    Member b = member(transport, Map.of(), "b");
    CompletableFuture<Object[]> aDisconnect = once(a.client(), Socket.EVENT_DISCONNECT);

    server.io().in("a").disconnectSockets(false);

    assertThat(await(aDisconnect)).containsExactly("io server disconnect");
    assertThat(poll(a.serverReasons())).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    assertThat(b.client().connected()).isTrue();
    assertThat(server.io().sockets().sockets()).containsOnlyKeys(b.socket().id());
    server.io().emit("still-here");
    assertThat(poll(b.received())).containsExactly("still-here");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void disconnectSocketsWithCloseClosesTheirConnections(Transport transport) {
    server = kit.server(io -> { });
    Member a = member(transport, Map.of(), "a");
    Member b = member(transport, Map.of(), "b");
    CompletableFuture<Object[]> aDisconnect = once(a.client(), Socket.EVENT_DISCONNECT);
    awaitUntil(() -> server.sessionCount() == 2);

    server.io().in("a").disconnectSockets(true);

    assertThat(await(aDisconnect)).containsExactly("io server disconnect");
    assertThat(poll(a.serverReasons())).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    awaitUntil(() -> server.sessionCount() == 1);
    assertThat(b.client().connected()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverSideEmitReachesNoLocalListenerAndItsAcksCompleteEmpty(Transport transport) {
    BlockingQueue<String> local = new LinkedBlockingQueue<>();
    server = kit.server(io -> io.on("cluster-event", (args, ack) -> {
      local.add("called");
      ack.send("reply");
    }));
    member(transport, Map.of());

    server.io().serverSideEmit("cluster-event", 1);
    List<Args> replies = await(server.io().serverSideEmitWithAck("cluster-event", Duration.ofSeconds(1), 2));

    assertThat(replies).isEmpty();
    assertThat(local).isEmpty();
    assertThat(await(server.io().sockets().adapter().serverCount())).isEqualTo(1);
  }
}
