package io.parley.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.server.ServerOptions;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.Engine;
import io.parley.server.engine.EngineOptions;
import io.parley.server.testkit.ManualExecutor;
import io.parley.server.testkit.TestExchange;
import io.parley.server.testkit.TestRequest;
import io.parley.server.testkit.TestWebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection state recovery window of the core, with no socket and no sleep: the Socket.IO
 * server behind an {@link Engine} driven through in-memory WebSockets, and the window judged by
 * the virtual clock of the {@link ManualExecutor}, which the test moves past or within it. Socket
 * handlers still run on virtual threads, so what they do is awaited.
 */
@Timeout(20)
class RecoveryWindowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WINDOW = Duration.ofMinutes(2);

  private final ManualExecutor loop = new ManualExecutor();
  private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
  private final SocketIoServer io = new SocketIoServer(ServerOptions.builder()
      .connectionStateRecovery(RecoveryOptions.of(WINDOW).withClock(loop)).build());
  // heartbeat far beyond the windows moved through here: no ping is due while a client is away
  private final Engine engine = new Engine(EngineOptions.builder().pingInterval(Duration.ofMinutes(10))
      .pingTimeout(Duration.ofMinutes(10)).build(), io, io::metrics);

  {
    io.onConnection(s -> {
      if (!s.recovered()) {
        s.join("red");
        s.data().put("user", "ada");
      }
      connections.add(s);
    });
  }

  @AfterEach
  void close() {
    io.close();
  }

  /** A client on an in-memory WebSocket; frames are read on the test thread, which runs the loop. */
  private final class Client {
    final TestWebSocket ws;
    final Deque<String> frames = new ArrayDeque<>();

    Client(String connect) {
      TestExchange ex = new TestExchange(loop);
      engine.handle(TestRequest.websocket("/socket.io/?EIO=4&transport=websocket"), ex);
      loop.runPending();
      ws = ex.webSocket();
      assertThat(next()).startsWith("0{");
      ws.clientText(connect);
    }

    String next() {
      await().pollInSameThread().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
        loop.runPending();
        ws.take().forEach(f -> frames.add((String) f));
        return !frames.isEmpty();
      });
      return frames.poll();
    }

    JsonNode connectReply() throws Exception {
      String m = next();
      assertThat(m).startsWith("40{");
      return JSON.readTree(m.substring(2));
    }

    JsonNode event() throws Exception {
      String m = next();
      assertThat(m).startsWith("42[");
      return JSON.readTree(m.substring(2));
    }
  }

  private Socket serverSocket() throws InterruptedException {
    Socket s = connections.poll(5, TimeUnit.SECONDS);
    assertThat(s).as("server-side connection").isNotNull();
    return s;
  }

  private record Dropped(Socket socket, String sid, String pid, String offset) {}

  /** Connects, gets one packet (its offset), then drops the connection. */
  private Dropped connectAndDrop() throws Exception {
    Client c = new Client("40");
    JsonNode reply = c.connectReply();
    Socket first = serverSocket();
    first.emit("hello");
    String offset = c.event().get(1).asText();
    c.ws.clientClose();
    await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    return new Dropped(first, reply.get("sid").asText(), reply.get("pid").asText(), offset);
  }

  private Client comeBack(Dropped d) {
    return new Client("40{\"pid\":\"" + d.pid() + "\",\"offset\":\"" + d.offset() + "\"}");
  }

  @Test
  void aClientBackJustWithinTheWindowIsRecoveredWithWhatItMissed() throws Exception {
    Dropped d = connectAndDrop();
    io.to("red").emit("missed", 1);
    loop.advance(WINDOW.minusSeconds(1));

    Client again = comeBack(d);
    JsonNode missed = again.event();
    assertThat(missed.get(0).asText() + missed.get(1).asInt()).isEqualTo("missed1");
    JsonNode back = again.connectReply();
    assertThat(back.get("sid").asText()).isEqualTo(d.sid());
    assertThat(back.get("pid").asText()).isEqualTo(d.pid());
    Socket s = serverSocket();
    assertThat(s.recovered()).isTrue();
    assertThat(s.rooms()).containsExactlyInAnyOrder(d.sid(), "red");
    assertThat(s.data()).containsEntry("user", "ada");
  }

  @Test
  void aClientBackJustAfterTheWindowGetsANewSession() throws Exception {
    Dropped d = connectAndDrop();
    loop.advance(WINDOW.plusSeconds(1));

    Client again = comeBack(d);
    JsonNode back = again.connectReply();
    assertThat(back.get("sid").asText()).isNotEqualTo(d.sid());
    assertThat(back.get("pid").asText()).isNotEqualTo(d.pid());
    assertThat(serverSocket().recovered()).isFalse();
  }

  @Test
  void aPacketOlderThanTheWindowIsDroppedSoASessionResumingFromItIsNotRecovered() throws Exception {
    Client c = new Client("40");
    JsonNode reply = c.connectReply();
    Socket first = serverSocket();
    first.emit("hello");
    String offset = c.event().get(1).asText();
    InMemoryRecoveryStore store = (InMemoryRecoveryStore) io.sockets().adapter().recoveryStore();
    assertThat(store.packetCount()).isEqualTo(1);

    loop.advance(WINDOW.minusSeconds(1)); // connected all along: only the packet ages
    c.ws.clientClose();
    await().atMost(Duration.ofSeconds(5)).until(() -> !first.connected());
    loop.advance(Duration.ofSeconds(2)); // the session is 2 s old, its offset past the window
    store.sweep();
    assertThat(store.packetCount()).isZero();
    assertThat(store.sessionCount()).isEqualTo(1);

    Client again = comeBack(new Dropped(first, reply.get("sid").asText(), reply.get("pid").asText(), offset));
    assertThat(again.connectReply().get("sid").asText()).isNotEqualTo(first.id());
    assertThat(serverSocket().recovered()).isFalse();
  }
}
