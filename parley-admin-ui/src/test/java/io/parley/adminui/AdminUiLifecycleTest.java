package io.parley.adminui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.netty.ParleyServer;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Options checks, instrumenting a server that already has sockets, and close(). Java client, real sockets. */
@Timeout(30)
class AdminUiLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<Socket> clients = new ArrayList<>();
  private ParleyServer server;

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void authMustBeChosenAndABasicPasswordMustBeABcryptHash() {
    assertThatThrownBy(() -> AdminUiOptions.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AdminAuth.none()");
    assertThatThrownBy(() -> AdminAuth.basic("admin", "changeit"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the password must be a valid bcrypt hash");
    assertThat(AdminUiOptions.builder().auth(AdminAuth.none()).namespace("ops").build().namespace()).isEqualTo("/ops");
  }

  private Socket connect(String nsp, Map<String, List<Object[]>> got, String... events) {
    IO.Options o = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {WebSocket.NAME}).build();
    Socket s = IO.socket(URI.create("http://127.0.0.1:" + server.port() + nsp), o);
    for (String e : events) {
      s.on(e, args -> got.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>()).add(args));
    }
    CompletableFuture<Void> connected = new CompletableFuture<>();
    s.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
    s.connect();
    clients.add(s);
    connected.orTimeout(10, TimeUnit.SECONDS).join();
    return s;
  }

  @Test
  void socketsConnectedBeforeInstrumentAreTrackedAndCloseStopsEverything() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0).build();
    server.start();
    Map<String, List<Object[]>> app = new ConcurrentHashMap<>();
    Socket early = connect("/", app);
    String earlyId = early.id();

    AdminUi ui = AdminUi.instrument(server.io(), AdminUiOptions.builder().auth(AdminAuth.none())
        .statsInterval(Duration.ofMillis(100)).build());
    Map<String, List<Object[]>> got = new ConcurrentHashMap<>();
    Socket admin = connect("/admin", got, "all_sockets", "event_received", "server_stats", "socket_connected");
    CompletableFuture<String> adminGone = new CompletableFuture<>();
    admin.on(Socket.EVENT_DISCONNECT, a -> adminGone.complete(String.valueOf(a[0])));

    await().atMost(WAIT).until(() -> got.containsKey("all_sockets"));
    JSONArray all = (JSONArray) got.get("all_sockets").get(0)[0];
    boolean listed = false;
    for (int i = 0; i < all.length(); i++) {
      if (all.getJSONObject(i).getString("id").equals(earlyId)) {
        listed = true;
        assertThat(all.getJSONObject(i).getString("clientId")).hasSize(12);
        assertThat(all.getJSONObject(i).getString("transport")).isEqualTo("websocket");
      }
    }
    assertThat(listed).as("the socket connected before instrument() is listed").isTrue();
    early.emit("after-instrument", 1);
    await().atMost(WAIT).until(() -> got.getOrDefault("event_received", List.of()).stream()
        .anyMatch(a -> earlyId.equals(a[1]) && a[2].toString().equals("[\"after-instrument\",1]")));

    ui.close();
    assertThat(adminGone.get(10, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    // nothing is reported any more, to a UI connecting again either
    Map<String, List<Object[]>> again = new ConcurrentHashMap<>();
    connect("/admin", again, "config", "server_stats", "socket_connected", "event_received");
    await().atMost(WAIT).until(() -> again.containsKey("config"));
    Socket late = connect("/", app);
    late.emit("after-close", 2);
    early.emit("after-close", 3);
    // a round trip through the admin namespace: what the server sent before it has arrived
    Map<String, List<Object[]>> probe = new ConcurrentHashMap<>();
    Socket p = connect("/admin", probe, "config");
    await().atMost(WAIT).until(() -> probe.containsKey("config"));
    CompletableFuture<Object[]> ack = new CompletableFuture<>();
    p.emit("_disconnect", new Object[] {"/nowhere", false}, args -> ack.complete(args));
    ack.get(10, TimeUnit.SECONDS);
    // absence: the statistics (every 100 ms before close) stay away for 5 intervals
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> !again.containsKey("server_stats"));
    assertThat(again).doesNotContainKeys("server_stats", "socket_connected", "event_received");
  }
}
