package io.parley.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Parley inside a real embedded container, next to an application servlet on the same port, with
 * the official Java client over polling, WebSocket and the upgrade between them. Each container
 * runs the same scenarios.
 */
@Timeout(30)
abstract class ContainerBindingContract {
  /** An application servlet mounted at /hello beside Parley. */
  static final HttpServlet HELLO = new HttpServlet() {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("hello from the application");
    }
  };

  private ParleyServlet parley;
  private int port;
  /** The server side of each connection, in connection order. */
  private final java.util.concurrent.ConcurrentLinkedDeque<io.parley.server.Socket> serverSockets =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final List<Socket> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    SocketIoServer io = new SocketIoServer(ServerOptions.DEFAULT);
    io.onConnection(socket -> {
      socket.join("lobby");
      serverSockets.add(socket);
      socket.on("echo", (args, ack) -> ack.send(args.get(0).asText()));
      socket.on("shout", (args, ack) -> io.to("lobby").emit("heard", args.get(0).asText()));
    });
    parley = new ParleyServlet(io, EngineOptions.DEFAULT);
    port = startContainer(parley);
  }

  /** Starts the container on a free loopback port with {@code parley} at /socket.io/* and {@link #HELLO} at /hello. */
  abstract int startContainer(ParleyServlet parley) throws Exception;

  abstract void stopContainer() throws Exception;

  @AfterEach
  void stop() throws Exception {
    clients.forEach(Socket::close);
    parley.close();
    stopContainer();
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
  void theApplicationsOwnServletSharesThePort() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("hello from the application");
    HttpResponse<String> h = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling"))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body()).startsWith("0{\"sid\":");
  }

  @Test
  void requestErrorsAreTheReferences() throws Exception {
    HttpResponse<String> h = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling&sid=nope"))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(400);
    assertThat(h.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
  }
}
