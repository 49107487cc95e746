package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.server.engine.EngineOptions;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.testkit.TestClient;
import io.parley.netty.testkit.TestClock;
import io.parley.server.recovery.InMemoryRecoveryStore;
import io.parley.server.recovery.RecoveryOptions;
import io.parley.server.ServerOptions;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection state recovery on the wire, with a raw WebSocket client that writes the packets the
 * official client writes ({@code 40{"pid","offset"}} on reconnection).
 */
@Timeout(30)
class ConnectionStateRecoveryTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
  private final AtomicInteger middlewareRuns = new AtomicInteger();

  private TestServer server(RecoveryOptions recovery, Consumer<SocketIoServer> extra) {
    ServerOptions options = ServerOptions.builder().connectionStateRecovery(recovery).build();
    return kit.server(options, EngineOptions.DEFAULT, io -> {
      io.use(s -> middlewareRuns.incrementAndGet());
      io.onConnection(s -> {
        if (!s.recovered()) {
          s.join("red");
          s.data().put("user", "ada");
        }
        connections.add(s);
      });
      extra.accept(io);
    });
  }

  private TestServer server(RecoveryOptions recovery) {
    return server(recovery, io -> { });
  }

  /** A raw client: the Engine.IO open packet is read, then the given CONNECT sent. */
  private TestClient.Ws open(TestServer server, String connect) {
    TestClient.Ws ws = kit.rawWebSocket(server);
    assertThat(ws.openPacket()).startsWith("0{");
    ws.send(connect);
    return ws;
  }

  /** The next Socket.IO message (skipping pings). */
  private static String next(TestClient.Ws ws) {
    while (true) {
      String m = ws.nextText();
      if (!m.equals("2")) {
        return m;
      }
    }
  }

  private static JsonNode connectReply(String m) {
    assertThat(m).startsWith("40{");
    return json(m.substring(2));
  }

  private static JsonNode event(String m) {
    assertThat(m).startsWith("42[");
    return json(m.substring(2));
  }

  private Socket serverSocket() throws InterruptedException {
    Socket s = connections.poll(5, TimeUnit.SECONDS);
    assertThat(s).as("server-side connection").isNotNull();
    return s;
  }

  @Test
  void offByDefaultNothingChangesOnTheWire() throws Exception {
    TestServer server = kit.server(io -> io.onConnection(s -> s.emit("hello", 1)));
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    assertThat(reply.size()).isEqualTo(1);
    assertThat(reply.has("sid")).isTrue();
    assertThat(next(ws)).isEqualTo("42[\"hello\",1]");
  }

  @Test
  void connectReplyCarriesAPidAndEventsWithoutAckAnOffset() throws Exception {
    TestServer server = server(RecoveryOptions.DEFAULT);
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    assertThat(reply.path("sid").asText()).hasSize(20);
    assertThat(reply.path("pid").asText()).hasSize(20);
    Socket s = serverSocket();
    assertThat(s.recovered()).isFalse();

    s.emit("private", 1);
    JsonNode e = event(next(ws));
    assertThat(e.size()).isEqualTo(3);
    assertThat(e.get(0).asText()).isEqualTo("private");
    String o1 = e.get(2).asText();

    server.io().to("red").emit("room", "x");
    JsonNode r = event(next(ws));
    assertThat(r.get(1).asText()).isEqualTo("x");
    assertThat(r.get(2).asText()).isNotEqualTo(o1);

    s.asVolatile().emit("volatile", 2);
    assertThat(next(ws)).as("volatile: no offset").isEqualTo("42[\"volatile\",2]");
    s.emitWithAck("ask", 3);
    assertThat(next(ws)).as("with ack: no offset").matches("42\\d+\\[\"ask\",3]");
  }

  @Test
  void aDroppedClientGetsItsIdRoomsDataAndEveryMissedPacketInOrder() throws Exception {
    TestServer server = server(RecoveryOptions.DEFAULT);
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    assertThat(middlewareRuns.get()).isEqualTo(1);

    ws.close(); // the TCP connection drops: "transport close" on the server
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    SocketIoServer io = server.io();
    io.to("red").emit("missed", 1);
    io.to(first.id()).emit("missed", 2);
    io.to("blue").emit("not-for-you", 0);
    io.except("red").emit("not-for-you", 0);
    io.emit("missed", 3);
    io.asVolatile().emit("not-kept", 0);

    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset
        + "\",\"token\":\"t\"}");
    List<JsonNode> replayed = new ArrayList<>();
    String m;
    while (!(m = next(again)).startsWith("40")) {
      replayed.add(event(m));
    }
    assertThat(replayed).extracting(e -> e.get(0).asText() + e.get(1).asText())
        .containsExactly("missed1", "missed2", "missed3");
    assertThat(replayed).allSatisfy(e -> assertThat(e.size()).isEqualTo(3));
    JsonNode again0 = connectReply(m);
    assertThat(again0.get("sid").asText()).isEqualTo(reply.get("sid").asText());
    assertThat(again0.get("pid").asText()).isEqualTo(reply.get("pid").asText());

    Socket second = serverSocket();
    assertThat(second).isNotSameAs(first);
    assertThat(second.recovered()).isTrue();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.rooms()).containsExactlyInAnyOrder(first.id(), "red");
    assertThat(second.data()).containsEntry("user", "ada");
    assertThat(middlewareRuns.get()).as("middlewares skipped").isEqualTo(1);
    // as the reference, the handshake's auth is the CONNECT payload, pid and offset included
    assertThat(second.handshake().auth().path("token").asText()).isEqualTo("t");
    assertThat(second.handshake().auth().has("pid")).isTrue();
    assertThat(io.sockets().sockets()).containsEntry(second.id(), second);

    io.to("red").emit("live", 4);
    JsonNode live = event(next(again));
    assertThat(live.get(0).asText()).isEqualTo("live");
    assertThat(live.get(2).asText()).isNotEqualTo(replayed.get(2).get(2).asText());
  }

  @Test
  void middlewaresRunOnRecoveryWhenNotSkipped() throws Exception {
    TestServer server = server(RecoveryOptions.builder().skipMiddlewares(false).build());
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    ws.close();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
    assertThat(connectReply(next(again)).get("sid").asText()).isEqualTo(first.id());
    assertThat(serverSocket().recovered()).isTrue();
    assertThat(middlewareRuns.get()).isEqualTo(2);
  }

  @Test
  void noRecoveryAfterTheWindow() throws Exception {
    TestClock clock = new TestClock();
    Duration window = Duration.ofMinutes(2);
    TestServer server = server(RecoveryOptions.of(window).withClock(clock));
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    ws.close();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    clock.advance(window.plusMillis(1));
    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
    JsonNode r = connectReply(next(again));
    assertThat(r.get("sid").asText()).isNotEqualTo(first.id());
    assertThat(r.get("pid").asText()).isNotEqualTo(reply.get("pid").asText());
    assertThat(serverSocket().recovered()).isFalse();
  }

  @Test
  void noRecoveryAfterTheClientLeftOnPurpose() throws Exception {
    TestServer server = server(RecoveryOptions.DEFAULT);
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    ws.send("41"); // client namespace disconnect: not recoverable
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    ws.close();
    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
    assertThat(connectReply(next(again)).get("sid").asText()).isNotEqualTo(first.id());
    assertThat(serverSocket().recovered()).isFalse();
  }

  @Test
  void noRecoveryWhenTheOffsetWasEvicted() throws Exception {
    TestServer server = server(RecoveryOptions.builder().maxPackets(5).build());
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    ws.close();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    for (int i = 0; i < 10; i++) {
      server.io().emit("flood", i);
    }
    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
    assertThat(connectReply(next(again)).get("sid").asText()).isNotEqualTo(first.id());
    assertThat(serverSocket().recovered()).isFalse();
  }

  @Test
  void theStoreStaysWithinItsBoundWhileDisconnectedClientsMissALongStream() throws Exception {
    RecoveryOptions recovery = RecoveryOptions.builder().maxPackets(2_000).maxBytes(100_000).maxSessions(15).build();
    TestServer server = server(recovery);
    List<TestClient.Ws> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      TestClient.Ws ws = open(server, "40");
      connectReply(next(ws));
      clients.add(ws);
    }
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sockets.add(serverSocket());
    }
    clients.forEach(TestClient.Ws::close);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sockets.stream().noneMatch(Socket::connected));
    InMemoryRecoveryStore store = (InMemoryRecoveryStore) server.io().sockets().adapter().recoveryStore();
    String payload = "x".repeat(100);
    for (int i = 0; i < 50_000; i++) {
      server.io().to(i % 2 == 0 ? "red" : "blue").emit("stream", i, payload);
      if (i % 1_000 == 0) {
        assertThat(store.packetCount()).isLessThanOrEqualTo(2_000);
        assertThat(store.byteCount()).isLessThanOrEqualTo(100_000);
      }
    }
    assertThat(store.packetCount()).isLessThanOrEqualTo(2_000);
    assertThat(store.byteCount()).isBetween(90_000L, 100_000L);
    assertThat(store.sessionCount()).isEqualTo(15);
  }

  @Test
  void socketEmitAfterTheDropIsReplayedToo() throws Exception {
    TestServer server = server(RecoveryOptions.DEFAULT);
    TestClient.Ws ws = open(server, "40");
    JsonNode reply = connectReply(next(ws));
    Socket first = serverSocket();
    first.emit("hello");
    String offset = event(next(ws)).get(1).asText();
    ws.close();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    first.emit("late", Map.of("n", 1)); // the application still holds the old socket
    TestClient.Ws again = open(server, "40{\"pid\":\"" + reply.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
    JsonNode late = event(next(again));
    assertThat(late.get(0).asText()).isEqualTo("late");
    assertThat(connectReply(next(again)).get("sid").asText()).isEqualTo(first.id());
  }
}
