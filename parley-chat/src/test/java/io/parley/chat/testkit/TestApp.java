package io.parley.chat.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.chat.ChatApp;
import io.parley.chat.config.ChatConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real application server on port 0 against one {@link Backend}, with an HTTP client and helpers
 * to create users. {@link #restart()} stops it and starts it again on the same database.
 */
public final class TestApp implements AutoCloseable {
  public static final String WEBHOOK_SECRET = "test-webhook-secret";
  public static final String ADMIN_PASSWORD = "admin-password-1";
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger USERS = new AtomicInteger();

  public final Backend backend;
  private final Path dataDir;
  private final String schema;
  private ChatConfig config;
  private ChatApp app;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A registered user with a token. */
  public record User(long id, String name, String token) {}

  private TestApp(Backend backend, Path dataDir, String schema, ChatConfig config) {
    this.backend = backend;
    this.dataDir = dataDir;
    this.schema = schema;
    this.config = config;
  }

  public static TestApp start(Backend backend) throws Exception {
    return start(backend, b -> b);
  }

  public static TestApp start(Backend backend, java.util.function.UnaryOperator<ChatConfig.Builder> customise) throws Exception {
    Path dir = Files.createTempDirectory("parley-chat-test");
    String schema = null;
    ChatConfig.Builder b = ChatConfig.builder().host("127.0.0.1").port(0).dataDir(dir).bcryptCost(4)
        .typingTimeout(Duration.ofMillis(300)).webhookSecret(WEBHOOK_SECRET).adminPassword(ADMIN_PASSWORD);
    if (backend == Backend.POSTGRES) {
      schema = Backend.createSchema();
      b.db(Backend.schemaUrl(schema), Backend.PG_USER, null);
    }
    TestApp t = new TestApp(backend, dir, schema, customise.apply(b).build());
    try {
      t.app = ChatApp.start(t.config);
    } catch (Exception e) {
      t.cleanUp();
      throw e;
    }
    return t;
  }

  public ChatApp app() {
    return app;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String url() {
    return "http://127.0.0.1:" + app.port();
  }

  /** Stops the server and starts it again on the same data dir and database (a new port). */
  public void restart() throws Exception {
    app.close();
    config = config.toBuilder().port(0).build();
    app = ChatApp.start(config);
  }

  // ---- HTTP ----

  public HttpResponse<String> request(String method, String path, String body, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, Object body, String bearer) throws IOException, InterruptedException {
    return request("POST", path, body instanceof String s ? s : JSON.writeValueAsString(body), bearer);
  }

  public HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
    return request("GET", path, null, bearer);
  }

  public static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  /** Registers and logs in a user with a unique name starting with {@code prefix}. */
  public User user(String prefix) throws IOException, InterruptedException {
    String name = prefix + "-" + USERS.incrementAndGet() + "-" + System.nanoTime() % 100000;
    return login(name, "password-" + name, true);
  }

  public User login(String name, String password, boolean register) throws IOException, InterruptedException {
    if (register) {
      HttpResponse<String> r = post("/api/register", java.util.Map.of("username", name, "password", password), null);
      if (r.statusCode() != 201) {
        throw new IllegalStateException("register " + name + ": " + r.statusCode() + " " + r.body());
      }
    }
    HttpResponse<String> r = post("/api/login", java.util.Map.of("username", name, "password", password), null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login " + name + ": " + r.statusCode() + " " + r.body());
    }
    JsonNode j = json(r);
    return new User(j.path("user").path("id").asLong(), name, j.path("token").asText());
  }

  public User admin() throws IOException, InterruptedException {
    return login("admin", ADMIN_PASSWORD, false);
  }

  /** A connected client on {@code namespace} with this token in {@code auth.token}. */
  public TestClient connect(String namespace, String token) {
    return TestClient.connect(url() + namespace, TestClient.options().setAuth(java.util.Map.of("token", token)).build());
  }

  public TestClient connect(String token) {
    return connect("", token);
  }

  @Override
  public void close() throws Exception {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      cleanUp();
    }
  }

  private void cleanUp() throws Exception {
    if (schema != null) {
      Backend.dropSchema(schema);
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Creates a public room owned by {@code owner} and returns its id (fails the test otherwise). */
  public String publicRoom(User owner) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/api/rooms", java.util.Map.of("name", "room of " + owner.name()), owner.token());
    if (r.statusCode() != 201) {
      throw new AssertionError("creating a room answered " + r.statusCode() + ": " + r.body());
    }
    return json(r).path("roomId").asText();
  }
}
