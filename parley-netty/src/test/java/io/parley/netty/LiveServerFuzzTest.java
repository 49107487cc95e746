package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.PacketType;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import io.parley.protocol.fuzz.Fuzz;
import io.parley.protocol.fuzz.FuzzInput;
import io.parley.protocol.fuzz.Generators;
import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.ServerOptions;
import io.parley.server.Socket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fuzzes a live {@link ParleyServer} (port 0) over real sockets. Each try opens one to three
 * connections, WebSocket or long-polling, each with a role drawn from the input:
 *
 * <ul>
 *   <li><b>good</b>: only valid frames (echo events with random arguments, binary attachments,
 *       ack ids, the {@code /admin} namespace, pongs, noops): every echo comes back exactly and
 *       the connection stays open;
 *   <li><b>bad</b>: valid frames then one frame that is malformed at the Engine.IO, Socket.IO or
 *       WebSocket level: the server closes that connection within 5 s;
 *   <li><b>wild</b>: hostile text, mutated packets, random binary, random WebSocket frame headers
 *       or bodies: anything may happen to that connection.
 * </ul>
 *
 * <p>Whatever the roles, after every try two well-behaved clients connected for the whole run
 * (one per transport) must get their echo within {@value #BOUND_SECONDS} s; at the end no session
 * is left behind and a new client still connects. The server never dies, and malformed input
 * closes only its own connection.
 *
 * <p>In CI {@link #budgeted()} runs tries for {@code parley.fuzz.seconds} (default 6 s here);
 * the {@code @FuzzTest} replays committed inputs and, with {@code JAZZER_FUZZ=1}, fuzzes with
 * coverage feedback (README, "Fuzzing").
 */
class LiveServerFuzzTest {
  private static final int BOUND_SECONDS = 5;
  private static final int MAX_MESSAGE = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SocketCodec CODEC = new SocketCodec(JSON);
  private static final AtomicLong ACK_IDS = new AtomicLong(1);

  private static ParleyServer server;
  private static TestClient client;
  private static List<TestClient.Connection> sentinels;
  private static volatile long worstSentinelMillis;
  /** What the tries did: echoes checked, bad connections closed, wild ones closed or left open. */
  private static final AtomicLong ECHOES = new AtomicLong();
  private static final AtomicLong BAD_CLOSED = new AtomicLong();
  private static final AtomicLong WILD_CLOSED = new AtomicLong();
  private static final AtomicLong WILD_OPEN = new AtomicLong();
  private static final AtomicLong POLLING = new AtomicLong();
  private static final AtomicLong WEBSOCKET = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0).ioThreads(2)
        .engine(EngineOptions.builder()
            .pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1))
            .upgradeTimeout(Duration.ofSeconds(2))
            .maxHttpBufferSize(MAX_MESSAGE)
            .build())
        .server(ServerOptions.builder().connectTimeout(Duration.ofSeconds(3)).build())
        .build();
    server.io().onConnection(LiveServerFuzzTest::echo);
    server.io().of("/admin").onConnection(LiveServerFuzzTest::echo);
    server.start();
    client = TestClient.to(server);
  }

  /** A WebSocket connection of the shared test client, answering pings. */
  private static TestClient.Ws fuzzWebSocket() {
    TestClient.Ws ws = client.websocket();
    ws.answerPings(true);
    return ws;
  }

  /** A long-polling connection of the shared test client, answering pings. */
  private static TestClient.Polling fuzzPolling() {
    TestClient.Polling p = client.polling();
    p.answerPings(true);
    return p;
  }

  /** The well-behaved clients, connected at the first try. */
  private static synchronized void connectSentinels() throws Exception {
    if (sentinels == null) {
      sentinels = List.of(connect(fuzzWebSocket()),
          connect(fuzzPolling()));
    }
  }

  @AfterAll
  static void stop() {
    if (sentinels != null) {
      sentinels.forEach(TestClient.Connection::close);
    }
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static void echo(Socket socket) {
    socket.on("echo", (Args args, Ack ack) -> {
      if (ack.requested()) {
        ack.send(args.toArray());
      } else {
        socket.emit("echo", args.toArray());
      }
    });
  }

  /** Joins "/" and waits for the CONNECT answer. */
  private static TestClient.Connection connect(TestClient.Connection c) throws Exception {
    c.sendAll(List.of("40"));
    awaitConnect(c, "/", new ArrayList<>());
    return c;
  }

  private static void awaitConnect(TestClient.Connection c, String nsp, List<SocketPacket> others) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    for (SocketPacket p = c.nextPacket(deadline); p != null; p = c.nextPacket(deadline)) {
      if (p.type() == PacketType.CONNECT && p.nsp().equals(nsp)) {
        return;
      }
      others.add(p);
    }
    throw new AssertionError(c.transport() + ": no CONNECT answer for " + nsp + " within " + BOUND_SECONDS
        + " s (ended: " + c.ended().getNow(null) + ")");
  }

  private enum Role { GOOD, BAD, WILD }

  /** One connection of a try: its role, what it must receive, and what it sent (for messages). */
  private static final class Client {
    final TestClient.Connection conn;
    final Role role;
    final List<SocketPacket> expected = new ArrayList<>();
    final List<String> sent = new ArrayList<>();
    /** Packets that came while waiting for a CONNECT answer. */
    final List<SocketPacket> early = new ArrayList<>();
    boolean admin;

    Client(TestClient.Connection conn, Role role) {
      this.conn = conn;
      this.role = role;
    }

    @Override
    public String toString() {
      return role + " " + conn.transport() + " sent " + sent;
    }
  }

  private static List<Object> frames(EncodedPacket p) {
    List<Object> f = new ArrayList<>();
    f.add(new String(p.text(), StandardCharsets.UTF_8));
    f.addAll(p.attachments());
    return f;
  }

  /** A valid echo (ack or not) on "/" or, once joined, "/admin", and the packet that must come back. */
  private static void goodStep(FuzzInput in, Client c) throws Exception {
    switch (in.intIn(0, 9)) {
      case 0 -> {
        if (!c.admin) {
          c.sent.add("40/admin,");
          c.conn.sendAll(List.of("40/admin,"));
          awaitConnect(c.conn, "/admin", c.early);
          c.admin = true;
        }
      }
      case 1 -> {
        String f = in.bool() ? "3" : "6"; // an unasked pong, a noop: both harmless
        c.sent.add(f);
        c.conn.sendAll(List.of(f));
      }
      case 2 -> {
        String f = "42[\"nobody-listens\",1]";
        c.sent.add(f);
        c.conn.sendAll(List.of(f));
      }
      default -> {
        String nsp = c.admin && in.bool() ? "/admin" : "/";
        long id = in.bool() ? ACK_IDS.getAndIncrement() : -1;
        Generators.Packet p = Generators.event(in, nsp, "echo", id);
        EncodedPacket enc = CODEC.encode(p.type(), p.nsp(), p.id(), p.data());
        List<Object> frames = frames(enc);
        c.sent.add(Fuzz.show(frames.get(0).toString()) + " +" + enc.attachments().size());
        c.conn.sendAll(frames);
        SocketPacket sentPacket = p.expected();
        if (id >= 0) {
          ArrayNode args = ((ArrayNode) sentPacket.data()).deepCopy();
          args.remove(0);
          PacketType t = sentPacket.type() == PacketType.BINARY_EVENT ? PacketType.BINARY_ACK : PacketType.ACK;
          c.expected.add(new SocketPacket(t, nsp, id, args));
        } else {
          c.expected.add(sentPacket);
        }
      }
    }
  }

  private static final String DEEP = "[".repeat(120) + "]".repeat(120);
  private static final List<String> BAD_TEXT = List.of(
      "", "7", "abc", "0{}", "5", "2", "1", "4abc", "42{}", "42abc[\"echo\"]", "42[\"echo\"]trailing",
      "42[\"disconnect\"]", "42[\"connect\",1]", "4511-[\"echo\"]", "43", "40/nope,[]", "45x-[\"echo\"]", "46",
      "42[\"echo\"," + DEEP + "]", "42[\"echo\"", "41{}", "44[\"x\"]");

  /** One frame (or pair of frames) that must get this connection closed. */
  private static void badStep(FuzzInput in, Client c) throws Exception {
    boolean ws = c.conn instanceof TestClient.Ws;
    int kind = in.intIn(0, ws ? 4 : 3);
    switch (kind) {
      case 0, 1 -> {
        String f = in.pick(BAD_TEXT);
        c.sent.add("bad " + Fuzz.show(f));
        c.conn.sendAll(List.of(f));
      }
      case 2 -> {
        byte[] b = in.bytes(16);
        c.sent.add("bad: binary while no packet awaits attachments");
        c.conn.sendAll(List.of(b));
      }
      case 3 -> {
        c.sent.add("bad: text while a packet awaits its attachment");
        c.conn.sendAll(List.of("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]", "42[\"echo\",1]"));
      }
      default -> wsProtocolError(in, (TestClient.Ws) c.conn, c);
    }
  }

  private static void wsProtocolError(FuzzInput in, TestClient.Ws ws, Client c) throws IOException {
    byte[] text = "42[\"echo\",1]".getBytes(StandardCharsets.UTF_8);
    switch (in.intIn(0, 7)) {
      case 0 -> {
        c.sent.add("bad: unmasked frame");
        ws.frame(0x80 | TestClient.Frame.TEXT, text, false);
      }
      case 1 -> {
        c.sent.add("bad: reserved opcode 3");
        ws.frame(0x80 | 3, text, true);
      }
      case 2 -> {
        c.sent.add("bad: ping with 126 bytes");
        ws.frame(0x80 | TestClient.Frame.PING, new byte[126], true);
      }
      case 3 -> {
        c.sent.add("bad: fragmented ping");
        ws.frame(TestClient.Frame.PING, new byte[1], true);
      }
      case 4 -> {
        c.sent.add("bad: continuation without a first frame");
        ws.frame(0x80, text, true);
      }
      case 5 -> {
        c.sent.add("bad: invalid UTF-8 in a text frame");
        ws.frame(0x80 | TestClient.Frame.TEXT, new byte[] {'4', '2', (byte) 0xc0, (byte) 0x80}, true);
      }
      case 6 -> {
        c.sent.add("bad: message over maxHttpBufferSize");
        byte[] big = new byte[MAX_MESSAGE + 1 + in.intIn(0, 1000)];
        java.util.Arrays.fill(big, (byte) 'a');
        big[0] = '4';
        ws.frame(0x80 | TestClient.Frame.TEXT, big, true);
      }
      default -> {
        c.sent.add("bad: close frame");
        ws.frame(0x80 | TestClient.Frame.CLOSE, new byte[] {0x03, (byte) 0xe8}, true);
      }
    }
  }

  /** Anything: hostile text, mutated packets, random binary, random frame headers or raw bytes. */
  private static void wildStep(FuzzInput in, Client c) throws Exception {
    switch (in.intIn(0, 4)) {
      case 0, 1 -> {
        String f = (in.bool() ? "4" : "") + Generators.hostileText(in, CODEC);
        c.sent.add("wild " + Fuzz.show(f));
        c.conn.sendAll(List.of(f));
      }
      case 2 -> {
        List<Object> fs = new ArrayList<>();
        for (int i = in.intIn(1, 3); i > 0; i--) {
          fs.add(in.bool() ? in.bytes(24) : "4" + Generators.hostileText(in, CODEC));
        }
        c.sent.add("wild " + fs.size() + " frames");
        c.conn.sendAll(fs);
      }
      default -> {
        if (c.conn instanceof TestClient.Ws ws) {
          if (in.bool()) {
            int b0 = in.nextByte();
            c.sent.add("wild frame header " + Integer.toHexString(b0));
            ws.frame(b0, in.bytes(140), in.chance(80));
          } else {
            byte[] raw = in.bytes(64);
            c.sent.add("wild raw bytes " + Fuzz.show(raw));
            ws.raw(raw);
          }
        } else {
          String body = Generators.hostileText(in, CODEC) + (in.bool() ? "\u001e" + Generators.hostileText(in, CODEC) : "");
          c.sent.add("wild body " + Fuzz.show(body));
          ((TestClient.Polling) c.conn).post(body);
        }
      }
    }
  }

  /** The property: one try with up to three connections, then the sentinels. */
  static void liveServer(byte[] input) throws Exception {
    connectSentinels();
    FuzzInput in = new FuzzInput(input);
    List<Client> clients = new ArrayList<>();
    try {
      int n = in.intIn(1, 3);
      for (int i = 0; i < n; i++) {
        Role role = Role.values()[in.intIn(0, 2)];
        TestClient.Connection conn = in.bool()
            ? fuzzWebSocket()
            : fuzzPolling();
        clients.add(new Client(connect(conn), role));
        (conn instanceof TestClient.Ws ? WEBSOCKET : POLLING).incrementAndGet();
      }
      // the steps of all connections, interleaved as the input says
      int[] goodBefore = new int[n];
      boolean[] badSent = new boolean[n];
      int steps = in.intIn(1, 8);
      for (int s = 0; s < steps; s++) {
        int i = in.intIn(0, n - 1);
        Client c = clients.get(i);
        try {
          switch (c.role) {
            case GOOD -> goodStep(in, c);
            case BAD -> {
              if (!badSent[i] && (goodBefore[i] >= 2 || in.bool())) {
                badStep(in, c);
                badSent[i] = true;
              } else if (!badSent[i]) {
                goodStep(in, c);
                goodBefore[i]++;
              }
            }
            case WILD -> wildStep(in, c);
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          if (c.role == Role.GOOD) {
            throw new AssertionError("good client could not send: " + c, e);
          }
          // a bad or wild connection may already be closed
        }
      }
      for (int i = 0; i < n; i++) {
        Client c = clients.get(i);
        if (c.role == Role.BAD && !badSent[i]) {
          try {
            badStep(in, c);
          } catch (IOException | java.io.UncheckedIOException e) {
            // closed already
          }
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      for (Client c : clients) {
        switch (c.role) {
          case GOOD -> checkGood(c, deadline);
          case BAD -> {
            try {
              c.conn.ended().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
              throw new AssertionError("malformed input did not close its connection within " + BOUND_SECONDS + " s: " + c);
            }
            BAD_CLOSED.incrementAndGet();
          }
          case WILD -> (c.conn.ended().isDone() ? WILD_CLOSED : WILD_OPEN).incrementAndGet();
        }
      }
      checkSentinels(in, clients);
    } finally {
      clients.forEach(c -> c.conn.close());
    }
  }

  private static void checkGood(Client c, long deadline) throws InterruptedException {
    List<SocketPacket> missing = new ArrayList<>(c.expected);
    List<SocketPacket> other = new ArrayList<>();
    for (SocketPacket p : c.early) {
      if (!missing.remove(p)) {
        other.add(p);
      }
    }
    while (!missing.isEmpty()) {
      SocketPacket p = c.conn.nextPacket(deadline);
      if (p == null) {
        throw new AssertionError("good client: " + missing.size() + " echo(es) missing after " + BOUND_SECONDS
            + " s (ended: " + c.conn.ended().getNow(null) + "); missing " + missing + "; got instead " + other + "; " + c);
      }
      if (!missing.remove(p)) {
        other.add(p);
      }
    }
    ECHOES.addAndGet(c.expected.size());
    assertThat(c.conn.ended().getNow(null)).as("good client closed by the server: %s", c).isNull();
    String error = c.conn.decodeError();
    assertThat(error).as("good client: %s", c).isNull();
  }

  /** The well-behaved clients get their echo within the bound, whatever the others did. */
  private static void checkSentinels(FuzzInput in, List<Client> clients) throws Exception {
    for (TestClient.Connection s : sentinels) {
      assertThat(s.ended().getNow(null)).as("a well-behaved %s client was disconnected", s.transport()).isNull();
      long id = ACK_IDS.getAndIncrement();
      Generators.Packet p = Generators.event(in, "/", "echo", id);
      long start = System.nanoTime();
      s.sendAll(frames(CODEC.encode(p.type(), p.nsp(), p.id(), p.data())));
      long deadline = start + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      SocketPacket got;
      do {
        got = s.nextPacket(deadline);
      } while (got != null && !(got.id() == id && (got.type() == PacketType.ACK || got.type() == PacketType.BINARY_ACK)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (got == null) {
        throw new AssertionError("a well-behaved " + s.transport() + " client got no echo within " + BOUND_SECONDS
            + " s (ended: " + s.ended().getNow(null) + ") after " + clients);
      }
      ArrayNode args = ((ArrayNode) p.expected().data()).deepCopy();
      args.remove(0);
      assertThat(got.data()).as("echo to the well-behaved %s client", s.transport()).isEqualTo(args);
      worstSentinelMillis = Math.max(worstSentinelMillis, millis);
    }
  }

  /** A dynamic test, so that JUnit's default timeout (60 s) does not cut a longer run asked for on the command line. */
  @TestFactory
  List<DynamicTest> budgeted() {
    return List.of(DynamicTest.dynamicTest("liveServer", LiveServerFuzzTest::runBudgeted));
  }

  private static void runBudgeted() throws Exception {
    Fuzz.Budget budget = Fuzz.Budget.fromSystemProperties();
    if (System.getProperty("parley.fuzz.seconds") == null && System.getProperty("parley.fuzz.tries") == null) {
      budget = budget.withTime(Duration.ofSeconds(6));
    }
    Fuzz.Result r = Fuzz.run("LiveServerFuzzTest.liveServer", LiveServerFuzzTest::liveServer, budget.withMaxLength(512));
    System.out.printf("fuzz LiveServerFuzzTest.liveServer: %d websocket and %d polling connections; %d echoes checked,"
        + " %d malformed connections closed, %d wild ones closed and %d left open; worst echo latency of a"
        + " well-behaved client %d ms%n", WEBSOCKET.get(), POLLING.get(), ECHOES.get(), BAD_CLOSED.get(),
        WILD_CLOSED.get(), WILD_OPEN.get(), worstSentinelMillis);
    assertThat(r.tries()).isPositive();

    // nothing left behind: only the two well-behaved sessions remain, and the server takes new clients
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> server.sessionCount() <= 2);
    assertThat(server.sessionCount()).as("sessions left after the run").isEqualTo(2);
    try (TestClient.Connection fresh = connect(fuzzWebSocket())) {
      checkSentinels(new FuzzInput(new byte[0]), Collections.emptyList());
      assertThat(fresh.ended().getNow(null)).isNull();
    }
  }

  /**
   * Under Jazzer. Its SSRF detector reports every network connection made once fuzzing starts;
   * here every connection is the point, so fuzz with JAZZER_SSRF_PERMISSIVE_UNTIL_CONFIGURED=1
   * (README, "Fuzzing"). ({@code BugDetectors.allowNetworkConnections} does not reach the
   * detector's copy when Jazzer is on the test class path, as with Maven.)
   */
  @FuzzTest(maxDuration = "2m")
  void liveServerFuzz(byte[] input) throws Exception {
    liveServer(input);
  }
}
