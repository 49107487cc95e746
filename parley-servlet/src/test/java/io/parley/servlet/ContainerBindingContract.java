package io.parley.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.netty.testkit.TestClient;
import io.parley.server.Args;
import io.parley.server.DisconnectReason;
import io.parley.server.EventRateLimit;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parley inside a real embedded container, next to an application servlet on the same port: the
 * official Java client over polling, WebSocket and the upgrade between them, and bad input from
 * the raw test client, which must get the same answers as on Netty and close only the offending
 * connection. Each container runs the same scenarios.
 */
@Timeout(30)
abstract class ContainerBindingContract {
  /** A raw Engine.IO echo endpoint with a small body limit, for the limits and the Engine.IO errors. */
  static final String ECHO = "/engine.io/";
  static final String SIO = "/socket.io/";
  static final int ECHO_LIMIT = 10_000;
  static final String SLOW = "/slow/";
  static final int SLOW_CAP = 512 * 1024;
  static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";
  static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";

  /** An application servlet mounted at /hello beside Parley. */
  static final HttpServlet HELLO = new HttpServlet() {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("hello from the application");
    }
  };

  private ParleyServlet parley;
  private ParleyServlet echo;
  /** A Socket.IO endpoint of its own with a small maxBufferedBytes, for the slow reader. */
  private ParleyServlet slow;
  private final Map<String, CompletableFuture<DisconnectReason>> slowReasons = new ConcurrentHashMap<>();
  private EmbeddedContainer.Running container;
  private int port;
  private TestClient http;
  /** The server side of each connection, in connection order. */
  private final ConcurrentLinkedDeque<io.parley.server.Socket> serverSockets = new ConcurrentLinkedDeque<>();
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final List<TestClient.Ws> raws = new CopyOnWriteArrayList<>();

  /** The container this contract runs in. */
  abstract EmbeddedContainer container();

  @BeforeEach
  void start() throws Exception {
    SocketIoServer io = new SocketIoServer(ServerOptions.DEFAULT);
    io.onConnection(socket -> {
      socket.join("lobby");
      serverSockets.add(socket);
      socket.on("echo", (args, ack) -> ack.send(args.get(0).asText()));
      socket.on("shout", (args, ack) -> io.to("lobby").emit("heard", args.get(0).asText()));
      socket.on("message", (Args args, io.parley.server.Ack ack) -> socket.emit("message-back", args.toArray()));
    });
    parley = new ParleyServlet(io, EngineOptions.DEFAULT);
    echo = ParleyServlet.endpoint(EngineOptions.builder().path(ECHO).maxHttpBufferSize(ECHO_LIMIT)
        .cors(CorsOptions.allowAll()).build(), new EchoHandler());
    SocketIoServer slowIo = new SocketIoServer(ServerOptions.builder().eventRateLimit(EventRateLimit.OFF).build());
    slowIo.onConnection(socket -> {
      CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
      slowReasons.put(socket.id(), reason);
      socket.onDisconnect(reason::complete);
    });
    slow = new ParleyServlet(slowIo, EngineOptions.builder().path(SLOW).maxBufferedBytes(SLOW_CAP).build());
    container = container().start(List.of(parley, echo, slow), Map.of("/hello", HELLO));
    port = container.port();
    http = TestClient.to(port);
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(Socket::close);
    raws.forEach(TestClient.Ws::close);
    http.close();
    parley.close();
    echo.close();
    slow.close();
    container.close();
  }

  private Socket connect(String... transports) throws Exception {
    IO.Options o = new IO.Options();
    o.transports = transports;
    o.reconnection = false;
    o.forceNew = true;
    Socket s = IO.socket(URI.create("http://127.0.0.1:" + port), o);
    clients.add(s);
    CompletableFuture<Void> up = new CompletableFuture<>();
    s.once(Socket.EVENT_CONNECT, a -> up.complete(null));
    s.once(Socket.EVENT_CONNECT_ERROR, a -> up.completeExceptionally(new IllegalStateException(String.valueOf(a[0]))));
    s.connect();
    up.get(10, TimeUnit.SECONDS);
    return s;
  }

  private static String echo(Socket s, String text) throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    s.emit("echo", new Object[] {text}, (Ack) a -> reply.complete(String.valueOf(a[0])));
    return reply.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void theOfficialClientConnectsAndGetsAcks(String transports) throws Exception {
    Socket s = connect(transports.split(","));
    assertThat(echo(s, "one")).isEqualTo("one");
    // the last transport offered is the one the connection ends on (after the upgrade, if any)
    String last = transports.substring(transports.lastIndexOf(',') + 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> last.equals(serverSockets.peekLast().transport()));
    assertThat(echo(s, "two")).isEqualTo("two");
  }

  @Test
  void aBroadcastReachesClientsOnEveryTransport() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    Socket polling = connect("polling");
    Socket ws = connect("websocket");
    polling.on("heard", a -> heard.add("polling " + a[0]));
    ws.on("heard", a -> heard.add("websocket " + a[0]));
    polling.emit("shout", "hi");
    assertThat(List.of(heard.poll(10, TimeUnit.SECONDS), heard.poll(10, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("polling hi", "websocket hi");
  }

  @Test
  void theApplicationsOwnServletSharesThePort() {
    assertThat(http.get("/hello").body()).isEqualTo("hello from the application");
    HttpResponse<String> h = http.get("/socket.io/?EIO=4&transport=polling");
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body()).startsWith("0{\"sid\":");
  }

  @Test
  void aClosedRawEndpointRefusesNewSessionsWhileTheSocketIoServletServesOn() {
    echo.close();

    HttpResponse<String> refused = http.get(ECHO + "?EIO=4&transport=polling");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).isEqualTo("Server shutting down");
    assertThat(http.get(SIO + "?EIO=4&transport=polling").body()).startsWith("0{\"sid\":");
  }

  // ---- request errors: the reference's statuses and bodies, as on Netty (EngineRequestErrorTest) ----

  private static void assertError(HttpResponse<String> r, int status, String body) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void anUnknownSessionIdIsCode1OverPollingAndWebSocket() {
    assertError(http.get("/socket.io/?EIO=4&transport=polling&sid=nope"), 400, UNKNOWN_SID);
    assertError(http.post("/socket.io/?EIO=4&transport=polling&sid=nope", "40"), 400, UNKNOWN_SID);
    assertError(http.get(ECHO + "?EIO=4&transport=polling&sid=nope"), 400, UNKNOWN_SID);
    try (TestClient.Ws ws = http.upgrade("/socket.io/?EIO=4&transport=websocket&sid=nope", null)) {
      assertThat(ws.status()).as("refused before the upgrade").isEqualTo(400);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"?EIO=4", "?EIO=4&transport=", "?EIO=4&transport=flashsocket", "?EIO=4&transport=POLLING"})
  void aMissingOrUnknownTransportIsCode0(String query) {
    assertError(http.get(SIO + query), 400, "{\"code\":0,\"message\":\"Transport unknown\"}");
  }

  @Test
  void theOtherRequestErrorsAreTheReferences() {
    assertError(http.get(SIO + "?EIO=3&transport=polling"), 400, "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    assertError(http.post(SIO + "?EIO=4&transport=polling", "40"), 400, "{\"code\":2,\"message\":\"Bad handshake method\"}");
    assertError(http.get(SIO + "?EIO=4&transport=websocket"), 400, BAD_REQUEST);
    try (TestClient.Ws ws = http.upgrade(SIO + "?EIO=3&transport=websocket", null)) {
      assertThat(ws.status()).as("refused before the upgrade").isEqualTo(400);
    }
  }

  // ---- bad input closes the offending connection only (MalformedInputIsolationTest, the limits tests) ----

  /** A polling POST of {@code body} with no Content-Length: the body goes chunked. */
  private HttpResponse<String> postChunked(String target, String body, String... headers) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(http.request(target, headers)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(ints = {ECHO_LIMIT + 1, 200_000})
  void aPollingBodyOverMaxHttpBufferSizeIs413AndTheSessionSurvives(int size) {
    String sid = http.open(ECHO);
    String other = http.open(ECHO);
    String target = TestClient.pollingTarget(ECHO, sid);

    HttpResponse<String> declared = http.post(target, "4" + "x".repeat(size - 1), "Origin", "http://app.example");
    HttpResponse<String> chunked = postChunked(target, "4" + "y".repeat(size - 1), "Origin", "http://app.example");

    for (HttpResponse<String> r : List.of(declared, chunked)) {
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().firstValue("access-control-allow-origin")).as("the endpoint's CORS").hasValue("*");
      assertThat(r.headers().firstValue("connection")).as("the rest of the body is not read").hasValue("close");
    }
    assertThat(http.post(target, "4after").body()).isEqualTo("ok");
    assertThat(http.get(target).body()).isEqualTo("4after");
    assertThat(http.post(TestClient.pollingTarget(ECHO, other), "4other").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget(ECHO, other)).body()).isEqualTo("4other");
  }

  @Test
  void aPollingBodyExactlyAtTheLimitIsAcceptedChunkedOrNot() {
    String sid = http.open(ECHO);
    String target = TestClient.pollingTarget(ECHO, sid);
    String body = "4" + "x".repeat(ECHO_LIMIT - 1);

    assertThat(http.post(target, body).statusCode()).isEqualTo(200);
    assertThat(http.get(target).body()).isEqualTo(body);
    assertThat(postChunked(target, body).statusCode()).isEqualTo(200);
    assertThat(http.get(target).body()).isEqualTo(body);
  }

  @Test
  void garbagePostedByPollingClosesOnlyThatSession() {
    String bad = http.open(ECHO);
    String good = http.open(ECHO);

    assertError(http.post(TestClient.pollingTarget(ECHO, bad), "abc"), 400, BAD_REQUEST);

    assertError(http.get(TestClient.pollingTarget(ECHO, bad)), 400, UNKNOWN_SID);
    assertThat(http.post(TestClient.pollingTarget(ECHO, good), "4still here").body()).isEqualTo("ok");
    assertThat(http.get(TestClient.pollingTarget(ECHO, good)).body()).isEqualTo("4still here");
  }

  @Test
  void anInvalidSocketIoPacketByPollingClosesOnlyThatSession() {
    String bad = http.open(SIO);
    String good = http.open(SIO);
    http.post(TestClient.pollingTarget(SIO, bad), "40");
    http.post(TestClient.pollingTarget(SIO, good), "40");
    assertThat(http.get(TestClient.pollingTarget(SIO, bad)).body()).startsWith("40{\"sid\":");
    assertThat(http.get(TestClient.pollingTarget(SIO, good)).body()).startsWith("40{\"sid\":");

    http.post(TestClient.pollingTarget(SIO, bad), "4abc");

    assertThat(http.get(TestClient.pollingTarget(SIO, bad)).body()).endsWith("1");
    assertError(http.get(TestClient.pollingTarget(SIO, bad)), 400, UNKNOWN_SID);
    assertThat(parley.sessionCount()).isEqualTo(1);
    http.post(TestClient.pollingTarget(SIO, good), "42[\"message\",\"still here\"]");
    assertThat(http.get(TestClient.pollingTarget(SIO, good)).body()).isEqualTo("42[\"message-back\",\"still here\"]");
  }

  private TestClient.Ws echoWebSocket() {
    TestClient.Ws ws = http.upgrade(ECHO + "?EIO=4&transport=websocket", null);
    raws.add(ws);
    assertThat(ws.status()).isEqualTo(101);
    assertThat(ws.nextText()).startsWith("0{");
    return ws;
  }

  private TestClient.Ws socketIoWebSocket() {
    TestClient.Ws ws = http.socketIo();
    raws.add(ws);
    return ws;
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "7", "0{}", "5", "2"})
  void aGarbageTextFrameClosesOnlyThatWebSocket(String frame) {
    TestClient.Ws bad = echoWebSocket();
    TestClient.Ws good = echoWebSocket();

    bad.send(frame);

    await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
    good.send("4still here");
    assertThat(good.nextText()).isEqualTo("4still here");
    good.sendBinary(new byte[] {1, 2, 3});
    assertThat(good.nextBinary()).containsExactly(1, 2, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4abc",
      "42{}",
      "42abc[\"message\"]",
      "42[\"message\"]trailing",
      "42[\"disconnect\"]",
      "43",
      "40/nope,[]",
      "4511-[\"message\"]"})
  void anInvalidSocketIoPacketOverWebSocketClosesOnlyThatConnection(String packet) {
    TestClient.Ws bad = socketIoWebSocket();
    TestClient.Ws good = socketIoWebSocket();
    assertThat(parley.sessionCount()).isEqualTo(2);

    bad.send(packet);

    await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
    await().atMost(Duration.ofSeconds(5)).until(() -> parley.sessionCount() == 1);
    good.send("42[\"message\",1,\"2\",{\"3\":[true]}]");
    assertThat(good.nextNonPing()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
  }

  @Test
  void textWhileWaitingForAnAttachmentClosesOnlyThatConnection() {
    TestClient.Ws bad = socketIoWebSocket();
    TestClient.Ws good = socketIoWebSocket();

    bad.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
    bad.send("42[\"message\",\"not the attachment\"]");

    await().atMost(Duration.ofSeconds(5)).until(bad.ended()::isDone);
    good.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
    good.sendBinary(new byte[] {9, 8, 7});
    assertThat(good.nextNonPing()).isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(good.nextBinary()).containsExactly(9, 8, 7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "é"}) // 1 and 2 bytes a character: the limit counts bytes, not characters
  void aWebSocketMessageOverMaxHttpBufferSizeClosesOnlyItsConnectionWith1009(String character) {
    TestClient.Ws bad = echoWebSocket();
    TestClient.Ws good = echoWebSocket();
    int bytesPerCharacter = character.getBytes(StandardCharsets.UTF_8).length;

    bad.send("4" + character.repeat(ECHO_LIMIT / bytesPerCharacter));

    assertThat(bad.awaitCloseStatus()).isEqualTo(1009);
    String fits = "4" + character.repeat((ECHO_LIMIT - 1) / bytesPerCharacter);
    good.send(fits);
    assertThat(good.nextText()).isEqualTo(fits);
  }

  @Test
  void aWebSocketMessageJustUnderMaxHttpBufferSizeArrivesWholeInOneFrame() {
    // the default maxHttpBufferSize (1 MB) of the Socket.IO endpoint, far above the containers'
    // own message and frame defaults (Tomcat 8 KiB, Jetty 64 KiB)
    TestClient.Ws ws = socketIoWebSocket();
    String text = "y".repeat(EngineOptions.DEFAULT.maxHttpBufferSize() - 100);
    byte[] bytes = new byte[EngineOptions.DEFAULT.maxHttpBufferSize() - 100];
    java.util.Arrays.fill(bytes, (byte) 7);

    ws.send("42[\"message\",\"" + text + "\"]");
    assertThat(ws.nextNonPing()).isEqualTo("42[\"message-back\",\"" + text + "\"]");
    ws.send("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
    ws.sendBinary(bytes);
    assertThat(ws.nextNonPing()).isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(ws.nextBinary()).isEqualTo(bytes);
  }

  @Test
  void fragmentsAddingUpToMoreThanMaxHttpBufferSizeCloseWith1009() {
    TestClient.Ws bad = echoWebSocket();
    TestClient.Ws good = echoWebSocket();

    bad.sendTextFragments("4" + "x".repeat(6_000), "y".repeat(6_000));

    assertThat(bad.awaitCloseStatus()).isEqualTo(1009);
    good.sendTextFragments("4hel", "lo");
    assertThat(good.nextText()).isEqualTo("4hello");
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAtMaxBufferedBytesWhileAReaderGetsEverything() {
    TestClient slowClient = TestClient.to(port).path(SLOW);
    TestClient.Ws reader = slowClient.socketIo();
    TestClient.Ws stalled = slowClient.websocket();
    raws.add(reader);
    raws.add(stalled);
    stalled.send("40");
    stalled.stopReading();
    SocketIoServer io = slow.io();
    await().atMost(Duration.ofSeconds(5)).until(() -> io.sockets().sockets().size() == 2);

    String pad = "x".repeat(32 * 1024);
    int count = 400; // 12.8 MB in all: far beyond the cap and the socket buffers
    for (int i = 0; i < count; i++) {
      io.emit("big", i, pad);
      int n = i;
      assertThat(reader.awaitText(f -> f.startsWith("42[\"big\"," + n + ","))).endsWith(pad + "\"]");
    }

    assertThat(slowReasons.values().stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
        .containsExactly(DisconnectReason.SLOW_CLIENT);
    assertThat(io.sockets().sockets()).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.sessionCount() == 1);
  }

  // ---- permessage-deflate (RFC 7692): the container's own, which Parley's endpoint gets as it is ----

  @Test
  void permessageDeflateIsNegotiatedWhenTheClientOffersIt() {
    TestClient.Ws ws = http.upgrade(ECHO + "?EIO=4&transport=websocket", "permessage-deflate; client_max_window_bits");
    raws.add(ws);
    assertThat(ws.status()).isEqualTo(101);
    assertThat(ws.headers().get("sec-websocket-extensions")).startsWith("permessage-deflate");

    TestClient.Frame open = ws.read();
    assertThat(open.text()).startsWith("0{\"sid\":");
    assertThat(open.compressed()).as("the server compresses its frames").isTrue();
    String big = "4" + "compressible ".repeat(400);
    ws.sendText(big, true);
    TestClient.Frame echoed = ws.readData();
    assertThat(echoed.compressed()).isTrue();
    assertThat(echoed.text()).isEqualTo(big);
    ws.sendText("4plain ✓", false);
    assertThat(ws.readData().text()).isEqualTo("4plain ✓");
    ws.sendBinary(new byte[] {1, 2, 3, 4}, true);
    TestClient.Frame bin = ws.readData();
    assertThat(bin.opcode()).isEqualTo(TestClient.Frame.BINARY);
    assertThat(bin.payload()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aClientThatDoesNotOfferPermessageDeflateGetsPlainFrames() {
    TestClient.Ws ws = http.upgrade(ECHO + "?EIO=4&transport=websocket", null);
    raws.add(ws);
    assertThat(ws.status()).isEqualTo(101);
    assertThat(ws.headers()).doesNotContainKey("sec-websocket-extensions");
    assertThat(ws.read().compressed()).isFalse();
    ws.sendText("4hello", false);
    TestClient.Frame echo = ws.readData();
    assertThat(echo.compressed()).isFalse();
    assertThat(echo.text()).isEqualTo("4hello");
  }

  @Test
  void aCompressedMessageInflatingPastMaxHttpBufferSizeClosesOnlyItsConnectionWith1009() {
    TestClient.Ws bad = http.upgrade(ECHO + "?EIO=4&transport=websocket", "permessage-deflate");
    raws.add(bad);
    TestClient.Ws good = echoWebSocket();
    assertThat(bad.read().text()).startsWith("0{");

    bad.sendText("4" + "z".repeat(ECHO_LIMIT * 5), true); // a few hundred bytes on the wire

    assertThat(bad.awaitCloseStatus()).isEqualTo(1009);
    good.send("4still here");
    assertThat(good.nextText()).isEqualTo("4still here");
  }
}
