package io.parley.adminui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.parley.netty.ParleyServer;
import io.parley.redis.RedisAdapter;
import io.parley.redis.RedisAdapterOptions;
import io.parley.redis.RedisAdapters;
import io.parley.server.ServerOptions;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes joined through the real Redis (classic adapter, a key of this test's own), each
 * instrumented with its own serverId: a UI connected to node A sees both servers' statistics, the
 * sockets and events of node B, and its commands reach node B's sockets. Java client, real sockets.
 */
@Timeout(60)
class AdminUiClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final String key = "parley-adminui-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
  private final List<ParleyServer> nodes = new ArrayList<>();
  private final List<AdminUi> uis = new ArrayList<>();
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    node("A");
    node("B");
  }

  private void node(String id) throws Exception {
    RedisAdapters adapters = RedisAdapters.classic(redis, RedisAdapterOptions.builder().key(key).build());
    ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0)
        .server(ServerOptions.builder().adapterFactory(adapters).build()).build();
    s.io().onConnection(socket -> socket.data().put("node", id));
    uis.add(AdminUi.instrument(s.io(), AdminUiOptions.builder().auth(AdminAuth.none()).serverId(id)
        .statsInterval(Duration.ofMillis(200)).build()));
    s.start();
    nodes.add(s);
    for (var nsp : s.io().namespaces()) {
      ((RedisAdapter) nsp.adapter()).ready().get(5, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    uis.forEach(AdminUi::close);
    nodes.forEach(ParleyServer::close);
    redis.shutdown();
  }

  /** A connected client; records every event named in {@code events}. */
  private Socket connect(ParleyServer node, String nsp, Map<String, List<Object[]>> got, String... events) {
    IO.Options o = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {WebSocket.NAME}).build();
    Socket s = IO.socket(URI.create("http://127.0.0.1:" + node.port() + nsp), o);
    for (String e : events) {
      s.on(e, args -> got.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>()).add(args));
    }
    CompletableFuture<Void> connected = new CompletableFuture<>();
    s.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
    s.on(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new AssertionError("refused: " + a[0])));
    s.connect();
    clients.add(s);
    connected.orTimeout(10, TimeUnit.SECONDS).join();
    return s;
  }

  private static List<Object[]> events(Map<String, List<Object[]>> got, String event) {
    return got.getOrDefault(event, List.of());
  }

  @Test
  void aUiOnOneNodeSeesAndManagesTheOther() throws Exception {
    Map<String, List<Object[]>> onB = new ConcurrentHashMap<>();
    Socket appB = connect(nodes.get(1), "/", onB, "hello");
    String idB = appB.id();

    Map<String, List<Object[]>> ui = new ConcurrentHashMap<>();
    Socket admin = connect(nodes.get(0), "/admin", ui, "config", "all_sockets", "server_stats", "socket_connected",
        "room_joined", "socket_disconnected", "event_received");

    // statistics of both servers
    await().atMost(WAIT).until(() -> events(ui, "server_stats").stream()
        .map(a -> ((JSONObject) a[0]).optString("serverId")).distinct().sorted().toList().equals(List.of("A", "B")));
    // all_sockets is cluster-wide: node B's socket, with its client id and transport carried in its data
    await().atMost(WAIT).until(() -> !events(ui, "all_sockets").isEmpty());
    JSONArray all = (JSONArray) events(ui, "all_sockets").get(0)[0];
    JSONObject b = null;
    for (int i = 0; i < all.length(); i++) {
      if (all.getJSONObject(i).getString("id").equals(idB)) {
        b = all.getJSONObject(i);
      }
    }
    assertThat(b).as("node B's socket in all_sockets").isNotNull();
    assertThat(b.getString("nsp")).isEqualTo("/");
    assertThat(b.getString("transport")).isEqualTo("websocket");
    assertThat(b.getString("clientId")).hasSize(12);
    assertThat(b.getJSONObject("data").toString()).isEqualTo("{\"node\":\"B\"}");

    // live events from node B
    Map<String, List<Object[]>> onB2 = new ConcurrentHashMap<>();
    Socket appB2 = connect(nodes.get(1), "/", onB2);
    String idB2 = appB2.id();
    await().atMost(WAIT).until(() -> events(ui, "socket_connected").stream()
        .anyMatch(a -> ((JSONObject) a[0]).optString("id").equals(idB2)));
    appB2.emit("ping-from-b", 42);
    await().atMost(WAIT).until(() -> events(ui, "event_received").stream()
        .anyMatch(a -> a[1].equals(idB2) && ((JSONArray) a[2]).toString().equals("[\"ping-from-b\",42]")));

    // commands reach node B's sockets
    admin.emit("join", "/", "vip", idB);
    await().atMost(WAIT).until(() -> events(ui, "room_joined").stream()
        .anyMatch(a -> "/".equals(a[0]) && "vip".equals(a[1]) && idB.equals(a[2])));
    admin.emit("emit", "/", "vip", "hello", "from the UI");
    await().atMost(WAIT).until(() -> events(onB, "hello").stream().anyMatch(a -> "from the UI".equals(a[0])));
    admin.emit("_disconnect", "/", false, idB);
    await().atMost(WAIT).until(() -> !appB.connected());
    await().atMost(WAIT).until(() -> events(ui, "socket_disconnected").stream()
        .anyMatch(a -> idB.equals(a[1]) && "server namespace disconnect".equals(a[2])));
    assertThat(appB2.connected()).as("the other socket of node B stays").isTrue();
  }
}
