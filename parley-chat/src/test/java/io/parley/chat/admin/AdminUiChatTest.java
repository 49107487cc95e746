package io.parley.chat.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.config.ChatConfig.AdminUiConfig;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./parley serve --admin-ui}: the admin UI's files at {@code /admin-ui/} with their own
 * content security policy, and its namespace {@code /socket.io-admin}, which admits accounts with
 * role admin (their password, the login throttle) beside the chat's own {@code /admin} (JWT).
 * The sockets are the official Java client over real WebSockets.
 */
@Timeout(60)
class AdminUiChatTest {
  static final String NSP = AdminUiConfig.DEFAULT_NAMESPACE;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(Backend.H2, b -> b.adminUi(AdminUiConfig.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  /** A socket as the UI opens it, recording every admin event by name. */
  static final class UiSocket implements AutoCloseable {
    final Socket socket;
    final Map<String, List<Object[]>> got = new ConcurrentHashMap<>();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<JsonNode> refused = new CompletableFuture<>();

    UiSocket(Map<String, String> auth) {
      IO.Options o = IO.Options.builder().setForceNew(true).setReconnection(false)
          .setTransports(new String[] {WebSocket.NAME}).setAuth(auth).build();
      socket = IO.socket(URI.create(app.url() + NSP), o);
      for (String e : List.of("session", "config", "all_sockets", "server_stats", "socket_connected", "socket_disconnected")) {
        socket.on(e, args -> got.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>()).add(args));
      }
      socket.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
      socket.on(Socket.EVENT_CONNECT_ERROR, a -> refused.complete(json(a[0])));
      socket.connect();
      CompletableFuture.anyOf(connected, refused).orTimeout(10, TimeUnit.SECONDS).join();
    }

    Object[] first(String event) {
      await().atMost(Duration.ofSeconds(10)).until(() -> got.containsKey(event));
      return got.get(event).get(0);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  static JsonNode json(Object o) {
    try {
      return TestApp.JSON.readTree(o instanceof JSONObject || o instanceof JSONArray ? o.toString()
          : TestApp.JSON.writeValueAsString(o));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAdminAccountConnectsAndSeesTheChatSockets() throws Exception {
    User alice = app.user("alice");
    try (TestClient chat = app.connect(alice.token());
        UiSocket ui = new UiSocket(Map.of("username", "admin", "password", TestApp.ADMIN_PASSWORD))) {
      assertThat(ui.refused).isNotDone();
      assertThat((String) ui.first("session")[0]).matches("[0-9a-f]{32}");
      assertThat(json(ui.first("config")[0]).path("supportedFeatures").toString())
          .isEqualTo("[\"EMIT\",\"JOIN\",\"LEAVE\",\"DISCONNECT\",\"MJOIN\",\"MLEAVE\",\"MDISCONNECT\",\"AGGREGATED_EVENTS\",\"ALL_EVENTS\"]");
      JsonNode all = json(ui.first("all_sockets")[0]);
      assertThat(all.findValuesAsText("nsp")).contains("/", NSP);
      JsonNode aliceSocket = null;
      for (JsonNode s : all) {
        if (s.path("nsp").asText().equals("/")) {
          aliceSocket = s;
        }
      }
      assertThat(aliceSocket).isNotNull();
      assertThat(aliceSocket.path("rooms").toString()).contains("user:" + alice.id());
      assertThat(aliceSocket.path("handshake").has("auth")).as("the token is not shown").isFalse();
      JsonNode stats = json(ui.first("server_stats")[0]);
      assertThat(stats.path("serverId").asText()).endsWith("#" + ProcessHandle.current().pid());
      assertThat(stats.path("namespaces").findValuesAsText("name")).contains("/", "/admin", "/notifications", NSP);
      // a command: disconnect alice's socket from the UI
      String id = aliceSocket.path("id").asText();
      ui.socket.emit("_disconnect", "/", false, id);
      await().atMost(Duration.ofSeconds(10)).until(() -> !chat.isConnectedNow());
      await().atMost(Duration.ofSeconds(10)).until(() -> ui.got.getOrDefault("socket_disconnected", List.of()).stream()
          .anyMatch(a -> id.equals(a[1]) && "server namespace disconnect".equals(a[2])));
    }
  }

  @Test
  void usersWithoutRoleAdminAndWrongPasswordsAreRefused() throws Exception {
    User bob = app.user("bob");
    try (UiSocket user = new UiSocket(Map.of("username", bob.name(), "password", "password-" + bob.name()));
        UiSocket wrong = new UiSocket(Map.of("username", "admin", "password", "not-the-password"));
        UiSocket none = new UiSocket(Map.of())) {
      for (UiSocket s : List.of(user, wrong, none)) {
        assertThat(s.refused).isDone();
        assertThat(s.refused.join().path("message").asText()).isEqualTo("invalid credentials");
        assertThat(s.got).doesNotContainKey("config");
      }
    }
  }

  @Test
  void theChatsOwnAdminNamespaceIsUnchanged() {
    try (TestClient c = TestClient.connect(app.url() + "/admin", TestClient.options()
        .setAuth(Map.of("username", "admin", "password", TestApp.ADMIN_PASSWORD)).build())) {
      assertThat(c.refusal().path("data").path("code").asText()).isEqualTo("AUTH_REQUIRED");
    }
  }

  @Test
  void theUiIsServedWithItsOwnContentSecurityPolicy() throws Exception {
    HttpResponse<String> bare = app.get("/admin-ui", null);
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("location")).hasValue("/admin-ui/");
    HttpResponse<String> index = app.get("/admin-ui/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self';", "https://fonts.googleapis.com", "connect-src 'self' ws: wss:", "frame-ancestors 'none'");
    assertThat(index.headers().firstValue("x-frame-options")).hasValue("DENY");
    if (new AdminUiSite("/admin-ui/").built()) {
      assertThat(index.body()).contains("<title>Socket.IO Admin UI</title>");
      String script = index.body().replaceAll("(?s).*<script src=\"(js/app\\.[0-9a-f]+\\.js)\".*", "$1");
      HttpResponse<String> js = app.get("/admin-ui/" + script, null);
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
    } else {
      assertThat(index.body()).contains("admin UI was not built");
    }
    assertThat(app.get("/admin-ui/js/missing.js", null).statusCode()).isEqualTo(404);
    assertThat(app.get("/admin-ui/../web/index.html", null).statusCode()).isIn(400, 404);
    // the chat's own pages keep their policy
    assertThat(app.get("/", null).headers().firstValue("content-security-policy").orElseThrow())
        .doesNotContain("fonts.googleapis.com");
  }
}
