package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.awaitUntil;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.killTransport;
import static io.parley.netty.client.ClientKit.once;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.engine.EngineOptions;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.testkit.TestClient;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.DisconnectReason;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reason the server's disconnect listeners get, and what the client sees, for each way out. */
@Timeout(20)
class DisconnectReasonsTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  /** "<namespace> <reason>" for every server-side disconnect. */
  private final BlockingQueue<String> reasons = new LinkedBlockingQueue<>();

  private void recordReasons(SocketIoServer io, String... namespaces) {
    for (String nsp : namespaces) {
      io.of(nsp).onConnection(s -> s.onDisconnect(r -> reasons.add(s.nsp().name() + " " + r)));
    }
  }

  private TestServer recordingServer() {
    return kit.server(io -> recordReasons(io, "/", "/other"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientDisconnecting(Transport transport) {
    TestServer server = recordingServer();
    Socket client = kit.connect(server, transport);
    CompletableFuture<Object[]> clientSide = once(client, Socket.EVENT_DISCONNECT);

    client.disconnect();

    assertThat(poll(reasons)).isEqualTo("/ " + DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    assertThat(await(clientSide)).containsExactly("io client disconnect");
    assertThat(server.io().sockets().sockets()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientLeavingOneNamespaceKeepsTheOther(Transport transport) {
    TestServer server = recordingServer();
    Socket main = kit.connect(server, transport);
    Socket other = connect(main.io().socket("/other"));

    other.disconnect();

    assertThat(poll(reasons)).isEqualTo("/other " + DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    assertThat(main.connected()).isTrue();
    assertThat(server.sessionCount()).isEqualTo(1);
    CompletableFuture<Object[]> stillConnected = once(main, "still-connected");
    serverSocket(server, main).emit("still-connected");
    assertThat(await(stillConnected)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerDisconnectingOneNamespace(Transport transport) {
    TestServer server = recordingServer();
    Socket main = kit.connect(server, transport);
    Socket other = connect(main.io().socket("/other"));
    CompletableFuture<Object[]> otherSide = once(other, Socket.EVENT_DISCONNECT);

    serverSocket(server, "/other", other).disconnect(false);

    assertThat(poll(reasons)).isEqualTo("/other " + DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    assertThat(await(otherSide)).containsExactly("io server disconnect");
    assertThat(main.connected()).isTrue();
    assertThat(server.sessionCount()).isEqualTo(1);
    assertThat(server.io().sockets().sockets()).containsOnlyKeys(main.id());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerDisconnectingTheOnlyNamespace(Transport transport) {
    TestServer server = recordingServer();
    Socket client = kit.connect(server, transport);
    CompletableFuture<Object[]> clientSide = once(client, Socket.EVENT_DISCONNECT);

    serverSocket(server, client).disconnect(false);

    assertThat(poll(reasons)).isEqualTo("/ " + DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    assertThat(await(clientSide)).containsExactly("io server disconnect");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerDisconnectingWithCloseEndsEveryNamespaceAndTheConnection(Transport transport) {
    TestServer server = recordingServer();
    Socket main = kit.connect(server, transport);
    Socket other = connect(main.io().socket("/other"));
    CompletableFuture<Object[]> mainSide = once(main, Socket.EVENT_DISCONNECT);
    CompletableFuture<Object[]> otherSide = once(other, Socket.EVENT_DISCONNECT);

    serverSocket(server, main).disconnect(true);

    assertThat(Set.of(poll(reasons), poll(reasons))).containsExactlyInAnyOrder(
        "/ " + DisconnectReason.SERVER_NAMESPACE_DISCONNECT, "/other " + DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    assertThat(await(mainSide)).containsExactly("io server disconnect");
    assertThat(await(otherSide)).containsExactly("io server disconnect");
    awaitUntil(() -> server.sessionCount() == 0 && server.io().connectionCount() == 0);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theTransportDying(Transport transport) {
    TestServer server = recordingServer();
    Socket main = kit.connect(server, transport);
    connect(main.io().socket("/other"));

    killTransport(main);

    assertThat(Set.of(poll(reasons), poll(reasons))).containsExactlyInAnyOrder(
        "/ " + DisconnectReason.TRANSPORT_CLOSE, "/other " + DisconnectReason.TRANSPORT_CLOSE);
    awaitUntil(() -> server.sessionCount() == 0);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerShuttingDown(Transport transport) {
    // Short heartbeats for the WebSocket cases (see below); over polling they would keep the
    // long-poll GET busy, and the close packet can only ride on a parked GET.
    EngineOptions engine = transport.settled().equals("polling") ? EngineOptions.DEFAULT
        : EngineOptions.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(1000)).build();
    TestServer server = kit.server(ServerOptions.DEFAULT, engine, io -> recordReasons(io, "/"));
    Socket first = kit.connect(server, transport);
    Socket second = kit.connect(server, transport);
    CompletableFuture<Object[]> firstSide = once(first, Socket.EVENT_DISCONNECT);
    CompletableFuture<Object[]> secondSide = once(second, Socket.EVENT_DISCONNECT);
    awaitUntil(() -> serverSocket(server, first).transport().equals(transport.settled())
        && serverSocket(server, second).transport().equals(transport.settled()));
    // Let the connections go idle: a polling client re-issues its GET a moment after each
    // response, and a GET still on its way when the server stops fails with "transport error"
    // (as with any server). Nothing observable says "GET parked", hence a short quiet time.
    Awaitility.await().during(Duration.ofMillis(200)).atMost(ClientKit.WAIT)
        .until(() -> first.connected() && second.connected());

    server.close();

    assertThat(List.of(poll(reasons), poll(reasons))).containsExactly(
        "/ " + DisconnectReason.SERVER_SHUTTING_DOWN, "/ " + DisconnectReason.SERVER_SHUTTING_DOWN);
    if (transport.settled().equals("polling")) {
      // the parked GET carries the close packet
      assertThat(await(firstSide)).containsExactly("transport close");
      assertThat(await(secondSide)).containsExactly("transport close");
    } else {
      // The server sends a close frame and closes, but the Java client (engine.io-client-java 2.1
      // on OkHttp 3) ignores a close frame it did not ask for: it notices either when writing its
      // next pong fails or through its own ping timeout, whichever comes first.
      assertThat(await(firstSide)[0]).isIn("transport error", "ping timeout");
      assertThat(await(secondSide)[0]).isIn("transport error", "ping timeout");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void disconnectingListenersStillSeeTheRooms(Transport transport) {
    CompletableFuture<Set<String>> roomsWhileDisconnecting = new CompletableFuture<>();
    CompletableFuture<Set<String>> roomsAfter = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.join("lobby");
      s.onDisconnecting(r -> roomsWhileDisconnecting.complete(s.rooms()));
      s.onDisconnect(r -> roomsAfter.complete(s.rooms()));
    }));
    Socket client = kit.connect(server, transport);
    String id = client.id();

    client.disconnect();

    assertThat(await(roomsWhileDisconnecting)).containsExactlyInAnyOrder(id, "lobby");
    assertThat(await(roomsAfter)).isEmpty();
  }

  @Test
  void aClientThatStopsAnsweringPingsTimesOut() {
    TestServer server = kit.server(ServerOptions.DEFAULT,
        EngineOptions.builder().pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(200)).build(),
        io -> recordReasons(io, "/"));
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");
    raw.send("40");
    assertThat(raw.nextText()).startsWith("40{\"sid\":");

    assertThat(raw.nextText()).isEqualTo("2");
    assertThat(poll(reasons)).isEqualTo("/ " + DisconnectReason.PING_TIMEOUT);
    assertThat(await(raw.ended())).isNotNull();
    assertThat(server.sessionCount()).isZero();
  }

  @Test
  void aClientThatAnswersPingsStaysConnected() {
    TestServer server = kit.server(ServerOptions.DEFAULT,
        EngineOptions.builder().pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(1000)).build(),
        io -> recordReasons(io, "/"));
    Socket client = kit.connect(server, Transport.WEBSOCKET);

    Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
        .until(client::connected);
    assertThat(reasons).isEmpty();
  }

  @Test
  void anInvalidPacketIsAParseError() {
    TestServer server = kit.server(io -> recordReasons(io, "/"));
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");
    raw.send("40");
    assertThat(raw.nextText()).startsWith("40{\"sid\":");

    raw.send("42{\"not\":\"an array\"}");

    assertThat(poll(reasons)).isEqualTo("/ " + DisconnectReason.PARSE_ERROR);
    assertThat(await(raw.ended())).isNotNull();
  }
}
