package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.awaitUntil;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.namesUntil;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.recordAll;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.BroadcastOperator;
import io.parley.server.RemoteSocket;
import io.socket.client.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four clients: {@code a} in room a, {@code b} in room b, {@code ab} in both, {@code none} in no
 * room. After each broadcast the server emits a {@code fence} to everyone; what a client received
 * before its fence is exactly what the broadcast gave it.
 */
@Timeout(20)
class RoomsAndBroadcastOperatorsTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  /** One connected client: its socket, everything it receives, and its server-side socket. */
  record Member(Socket client, BlockingQueue<Object[]> received, io.parley.server.Socket socket) {
    List<String> namesUntilFence() {
      return namesUntil(received, "fence");
    }
  }

  private TestServer server;
  private Member a;
  private Member b;
  private Member ab;
  private Member none;

  private Member member(Transport transport, String... rooms) {
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> received = recordAll(client);
    connect(client);
    io.parley.server.Socket socket = serverSocket(server, client);
    socket.join(rooms);
    return new Member(client, received, socket);
  }

  private void fourMembers(Transport transport, Consumer<io.parley.server.SocketIoServer> setup) {
    server = kit.server(setup);
    a = member(transport, "a");
    b = member(transport, "b");
    ab = member(transport, "a", "b");
    none = member(transport);
  }

  /** Emits the fence and checks what each of a, b, ab, none received before it. */
  private void expect(List<String> atA, List<String> atB, List<String> atAb, List<String> atNone) {
    server.io().emit("fence");
    assertThat(a.namesUntilFence()).as("a").containsExactlyElementsOf(atA);
    assertThat(b.namesUntilFence()).as("b").containsExactlyElementsOf(atB);
    assertThat(ab.namesUntilFence()).as("ab").containsExactlyElementsOf(atAb);
    assertThat(none.namesUntilFence()).as("none").containsExactlyElementsOf(atNone);
  }

  private static final List<String> GOT = List.of("news");
  private static final List<String> NOT = List.of();

  @ParameterizedTest
  @EnumSource(Transport.class)
  void joinAndLeaveChangeTheRoomsAndTheOwnIdIsARoom(Transport transport) {
    fourMembers(transport, io -> { });

    assertThat(a.socket().rooms()).containsExactlyInAnyOrder(a.socket().id(), "a");
    assertThat(ab.socket().rooms()).containsExactlyInAnyOrder(ab.socket().id(), "a", "b");
    assertThat(none.socket().rooms()).containsExactly(none.socket().id());

    ab.socket().leave("a");

    assertThat(ab.socket().rooms()).containsExactlyInAnyOrder(ab.socket().id(), "b");
    server.io().to("a").emit("news");
    expect(GOT, NOT, NOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void toSeveralRoomsReachesTheUnionAndEachSocketOnce(Transport transport) {
    fourMembers(transport, io -> { });

    server.io().to("a").to("b").emit("news");
    expect(GOT, GOT, GOT, NOT);

    server.io().to("a", "b").emit("news");
    expect(GOT, GOT, GOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void exceptLeavesOutTheMembersOfARoom(Transport transport) {
    fourMembers(transport, io -> { });

    server.io().to("a").except("b").emit("news");
    expect(GOT, NOT, NOT, NOT);

    server.io().except("a").emit("news");
    expect(NOT, GOT, NOT, GOT);

    server.io().in("b").except(ab.socket().id()).emit("news");
    expect(NOT, GOT, NOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theSocketIdIsAPrivateRoom(Transport transport) {
    fourMembers(transport, io -> { });

    server.io().to(none.socket().id()).emit("news");

    expect(NOT, NOT, NOT, GOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void socketToRoomLeavesOutTheSender(Transport transport) {
    fourMembers(transport, io -> io.onConnection(s -> s.on("relay", (args, ack) -> {
      s.to(args.get(0).asText()).emit("news");
      ack.send();
    })));

    relay(ab, "a");

    expect(GOT, NOT, NOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void socketBroadcastReachesEveryoneButTheSender(Transport transport) {
    fourMembers(transport, io -> io.onConnection(s -> s.on("relay", (args, ack) -> {
      s.broadcast().emit("news");
      ack.send();
    })));

    relay(a, "ignored");

    expect(NOT, GOT, GOT, GOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void socketExceptAndSocketLocalAlsoLeaveOutTheSender(Transport transport) {
    fourMembers(transport, io -> io.onConnection(s -> s.on("relay", (args, ack) -> {
      if (args.get(0).asText().equals("except")) {
        s.except("b").emit("news");
      } else {
        s.local().emit("news");
      }
      ack.send();
    })));

    relay(a, "except");
    expect(NOT, NOT, NOT, GOT);

    relay(b, "local");
    expect(GOT, NOT, GOT, GOT);
  }

  /** Makes {@code m} send {@code relay} and waits for the server's ack: the broadcast is done by then. */
  private static void relay(Member m, String arg) {
    java.util.concurrent.CompletableFuture<Object[]> done = new java.util.concurrent.CompletableFuture<>();
    m.client().emit("relay", new Object[] {arg}, ClientKit.ack(done));
    await(done);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void localAndCompressFalseStillDeliver(Transport transport) {
    fourMembers(transport, io -> { });

    server.io().local().to("a").emit("news");
    expect(GOT, NOT, GOT, NOT);

    server.io().compress(false).to("b").emit("news");
    expect(NOT, GOT, GOT, NOT);

    server.io().to("b").local().compress(false).except("a").emit("news");
    expect(NOT, GOT, NOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = "WEBSOCKET")
  void aVolatileBroadcastReachesWritableConnections(Transport transport) {
    // Over polling, a volatile packet is dropped unless a GET is parked at that instant (as in
    // the reference server), so only the WebSocket case is deterministic.
    fourMembers(transport, io -> { });

    server.io().asVolatile().to("a").emit("news");
    expect(GOT, NOT, GOT, NOT);

    server.io().to("b").asVolatile().emit("news");
    expect(NOT, GOT, GOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anOperatorIsImmutableAndReusable(Transport transport) {
    fourMembers(transport, io -> { });
    BroadcastOperator toA = server.io().to("a");

    BroadcastOperator narrowed = toA.except("b");
    toA.emit("news");
    expect(GOT, NOT, GOT, NOT);

    narrowed.emit("news");
    expect(GOT, NOT, NOT, NOT);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void fetchSocketsInARoomReturnsItsMembers(Transport transport) {
    fourMembers(transport, io -> { });

    List<RemoteSocket> inA = await(server.io().in("a").fetchSockets());
    List<RemoteSocket> all = await(server.io().fetchSockets());
    List<RemoteSocket> inAButNotB = await(server.io().in("a").except("b").fetchSockets());

    assertThat(inA).map(RemoteSocket::id).containsExactlyInAnyOrder(a.socket().id(), ab.socket().id());
    assertThat(all).map(RemoteSocket::id)
        .containsExactlyInAnyOrder(a.socket().id(), b.socket().id(), ab.socket().id(), none.socket().id());
    assertThat(inAButNotB).map(RemoteSocket::id).containsExactly(a.socket().id());
    RemoteSocket abSnapshot = inA.stream().filter(r -> r.id().equals(ab.socket().id())).findFirst().orElseThrow();
    assertThat(abSnapshot.rooms()).containsExactlyInAnyOrder(ab.socket().id(), "a", "b");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDisconnectedSocketLeavesItsRooms(Transport transport) {
    fourMembers(transport, io -> { });

    a.client().disconnect();

    awaitUntil(() -> server.io().sockets().adapter().sockets(java.util.Set.of("a")).size() == 1);
    assertThat(server.io().sockets().adapter().sockets(java.util.Set.of("a"))).containsExactly(ab.socket().id());
    assertThat(a.socket().rooms()).isEmpty();
    assertThat(server.io().sockets().adapter().allRooms()).doesNotContain(a.socket().id());
    server.io().to("a").emit("news");
    server.io().emit("fence");
    assertThat(ab.namesUntilFence()).containsExactly("news");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastCarriesJsonAndBinaryToEveryRecipient(Transport transport) {
    fourMembers(transport, io -> { });

    server.io().to("b").emit("news", java.util.Map.of("k", "v"), ClientKit.bytes(1, 2, 3));

    for (Member m : List.of(b, ab)) {
      Object[] event = poll(m.received());
      assertThat(event[0]).isEqualTo("news");
      assertThat(ClientKit.fromClient(event[1])).isEqualTo(ClientKit.json("{'k':'v'}"));
      assertThat((byte[]) event[2]).containsExactly(1, 2, 3);
    }
    expect(NOT, NOT, NOT, NOT);
  }
}
