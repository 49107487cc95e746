package io.parley.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.auth.Passwords;
import io.parley.chat.auth.Secrets;
import io.parley.chat.auth.Tokens;
import io.parley.chat.chat.BadInput;
import io.parley.chat.chat.ChatHandlers;
import io.parley.chat.chat.Events;
import io.parley.chat.chat.Payloads;
import io.parley.chat.config.ChatConfig;
import io.parley.chat.db.Database;
import io.parley.chat.db.InboxRepository;
import io.parley.chat.db.MessageRepository;
import io.parley.chat.db.ProductRepository;
import io.parley.chat.db.RoomRepository;
import io.parley.chat.db.UserRepository;
import io.parley.adminui.AdminAuth;
import io.parley.adminui.AdminUi;
import io.parley.adminui.AdminUiOptions;
import io.parley.chat.http.AdminUiSite;
import io.parley.chat.http.HttpApi;
import io.parley.chat.http.LoginThrottle;
import io.parley.chat.http.HttpError;
import io.parley.chat.http.Router;
import io.parley.chat.http.StaticSite;
import io.parley.chat.metrics.Metrics;
import io.parley.chat.notify.Notifier;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EngineOptions;
import io.parley.netty.ParleyServer;
import io.parley.netty.TrustedProxies;
import io.parley.server.ConnectError;
import io.parley.server.Handshake;
import io.parley.server.Middleware;
import io.parley.server.Namespace;
import io.parley.server.ServerOptions;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import io.parley.server.http.HttpRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat and notifications application: the database, authentication, the HTTP API and the
 * Socket.IO namespaces ({@code /}, {@code /notifications}, {@code /admin}) on one Parley server.
 *
 * <pre>{@code
 * try (ChatApp app = ChatApp.start(ChatConfig.builder().port(0).build())) { ... app.port() ... }
 * }</pre>
 */
public final class ChatApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatApp.class);
  /** Largest HTTP API request body. */
  public static final int MAX_BODY = 64 * 1024;
  /** Largest Engine.IO payload (a polling body or a WebSocket message). */
  public static final int MAX_SOCKET_PAYLOAD = 256 * 1024;

  private final ChatConfig config;
  private final Database db;
  private final UserRepository users;
  private final ParleyServer server;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpExecutor;
  private final AdminUi adminUi;

  private ChatApp(ChatConfig config, Database db, UserRepository users, ParleyServer server,
      ScheduledExecutorService scheduler, ExecutorService httpExecutor, AdminUi adminUi) {
    this.adminUi = adminUi;
    this.config = config;
    this.db = db;
    this.users = users;
    this.server = server;
    this.scheduler = scheduler;
    this.httpExecutor = httpExecutor;
  }

  /** Opens the database (migrating it), wires everything and starts serving. */
  public static ChatApp start(ChatConfig config) throws IOException, InterruptedException {
    Files.createDirectories(config.dataDir());
    String jwtSecret = config.jwtSecret() != null ? config.jwtSecret()
        : Secrets.loadOrCreate(config.dataDir().resolve("jwt-secret"));
    Database db = Database.open(config.effectiveDbUrl(), config.dbUser(), config.dbPassword());
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("parley-chat-timers").daemon().factory());
    ExecutorService httpExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-http-", 0).factory());
    try {
      return wire(config, jwtSecret, db, scheduler, httpExecutor);
    } catch (RuntimeException | IOException | InterruptedException e) {
      scheduler.shutdownNow();
      httpExecutor.shutdownNow();
      db.close();
      throw e;
    }
  }

  private static ChatApp wire(ChatConfig config, String jwtSecret, Database db, ScheduledExecutorService scheduler,
      ExecutorService httpExecutor) throws IOException, InterruptedException {
    ObjectMapper mapper = new ObjectMapper();
    UserRepository users = new UserRepository(db);
    RoomRepository rooms = new RoomRepository(db);
    MessageRepository messages = new MessageRepository(db);
    ProductRepository products = new ProductRepository(db);
    InboxRepository inbox = new InboxRepository(db);
    Passwords passwords = new Passwords(config.bcryptCost());
    Tokens tokens = new Tokens(jwtSecret, config.tokenLifetime());
    Authenticator auth = new Authenticator(tokens, users);
    Metrics metrics = new Metrics();
    db.bindMetrics(metrics.registry());
    if (config.adapterFactory() instanceof io.parley.server.HealthIndicator cluster) {
      io.micrometer.core.instrument.Gauge.builder("parley_cluster_up", () -> cluster.healthy() ? 1 : 0)
          .description("Whether the cluster backend is connected (1) or not (0)").tag("backend", cluster.name())
          .register(metrics.registry());
    }
    if (config.adminPassword() != null) {
      String problem = Passwords.problem(config.adminPassword());
      if (problem != null) {
        throw new IllegalArgumentException("--admin-password: " + problem);
      }
      users.upsert("admin", passwords.hash(config.adminPassword()), "admin");
    }

    EngineOptions.Builder engine = EngineOptions.builder().maxHttpBufferSize(MAX_SOCKET_PAYLOAD);
    if (!config.corsOrigins().isEmpty()) {
      engine.cors(CorsOptions.origins(config.corsOrigins().toArray(String[]::new)).withCredentials(true));
    }
    Router router = new Router(mapper, httpExecutor, MAX_BODY, config.corsOrigins());
    ParleyServer.Builder serverBuilder = ParleyServer.builder().host(config.host()).port(config.port()).engine(engine.build())
        .trustedProxies(TrustedProxies.of(config.trustedProxies()))
        .server(ServerOptions.builder().mapper(mapper).adapterFactory(config.adapterFactory())
            .metrics(metrics.server()).connectionStateRecovery(config.connectionStateRecovery()).build())
        .route(router);
    adminUiRoutes(config).forEach(serverBuilder::route); // before the chat's site, which answers every other GET
    ParleyServer server = serverBuilder.route(new StaticSite("/web")).build();
    SocketIoServer io = server.io();
    Namespace main = io.sockets();
    Namespace notificationsNsp = io.of("/notifications");
    Namespace adminNsp = io.of("/admin");

    Events events = new Events(metrics);
    Notifier notifier = new Notifier(main, notificationsNsp, adminNsp, products, users, inbox, mapper, metrics);
    ChatHandlers chat = new ChatHandlers(main, rooms, messages, users, events, scheduler, config.typingTimeout());
    HttpApi api = new HttpApi(db, users, rooms, products, passwords, tokens, auth, notifier, metrics,
        config.webhookSecret(), io::connectionCount,
        config.adapterFactory() instanceof io.parley.server.HealthIndicator h ? List.of(h) : List.of());
    api.mount(router);
    router.observer(metrics::http);

    for (Namespace n : List.of(main, notificationsNsp, adminNsp)) {
      n.use(counted(auth.middleware(n == adminNsp), metrics));
      metrics.gauge("parley_connected_sockets", "Sockets connected now", n.name(), () -> n.sockets().size());
    }
    main.onConnection(socket -> {
      chat.register(socket);
      registerInbox(socket, events, notifier);
    });
    notificationsNsp.onConnection(socket -> {
      socket.join(Notifier.notificationsRoom(Authenticator.principal(socket).id()));
      registerInbox(socket, events, notifier);
    });
    adminNsp.onConnection(socket -> {
      Principal me = Authenticator.principal(socket);
      events.on(socket, "broadcast:all", (args, reply) -> {
        JsonNode a = args.get(0);
        JsonNode text = a != null && a.isObject() ? a.get("message") : a;
        if (text == null || !text.isTextual() || text.textValue().isBlank() || text.textValue().length() > ChatHandlers.MAX_TEXT) {
          throw BadInput.invalid("message must be a string of 1 to " + ChatHandlers.MAX_TEXT + " characters");
        }
        Map<String, Object> announcement = new LinkedHashMap<>();
        announcement.put("message", text.textValue().strip());
        announcement.put("from", Map.of("id", me.id(), "name", me.username()));
        announcement.put("timestamp", System.currentTimeMillis());
        adminNsp.emit("admin:announcement", announcement);
      });
    });

    AdminUi adminUi = config.adminUi() == null ? null
        : AdminUi.instrument(io, AdminUiOptions.builder()
            .namespace(config.adminUi().namespace())
            .auth(chatAdmins(users, passwords, api.loginThrottle()))
            .readonly(config.adminUi().readonly())
            .serverId(hostname() + "#" + ProcessHandle.current().pid())
            .sessionDuration(config.tokenLifetime())
            .build());
    try {
      server.start();
    } catch (RuntimeException | InterruptedException e) {
      if (adminUi != null) {
        adminUi.close();
      }
      throw e;
    }
    return new ChatApp(config, db, users, server, scheduler, httpExecutor, adminUi);
  }

  private static List<HttpRoute> adminUiRoutes(ChatConfig config) {
    if (config.adminUi() == null) {
      return List.of();
    }
    AdminUiSite site = new AdminUiSite(config.adminUi().path());
    if (!site.built()) {
      log.warn("the admin UI's files are not in this jar (built with -Dweb.skip?): {} shows a notice", config.adminUi().path());
    }
    return List.of(site);
  }

  /**
   * Admin UI logins: an active account with role admin and its password, counted by the same
   * failed-login throttle as {@code /api/login} (per account and per client address).
   */
  static AdminAuth chatAdmins(UserRepository users, Passwords passwords, LoginThrottle throttle) {
    return new AdminAuth() {
      @Override
      public boolean check(String username, String password) {
        return check((Handshake) null, username, password);
      }

      @Override
      public boolean check(Handshake handshake, String username, String password) {
        if (username == null || password == null || username.length() > 200 || password.length() > 200) {
          return false;
        }
        String address = handshake == null || handshake.address() == null ? "" : handshake.address();
        if (throttle.retryAfterSeconds(username, address) > 0) {
          return false;
        }
        UserRepository.User user = users.byName(username).orElse(null);
        if (!passwords.matches(password, user == null ? null : user.passwordHash())) {
          throttle.failed(username, address);
          return false;
        }
        throttle.succeeded(username);
        return user.active() && "admin".equals(user.role());
      }
    };
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** {@code notifications:unread} on connect, and {@code notifications:read {ids} | {all: true}}. */
  private static void registerInbox(Socket socket, Events events, Notifier notifier) {
    long userId = Authenticator.principal(socket).id();
    events.on(socket, "notifications:read", (args, reply) -> {
      List<Long> ids;
      try {
        ids = HttpApi.readIds(Payloads.object(args));
      } catch (HttpError e) {
        throw BadInput.invalid(e.getMessage());
      }
      Map<String, Object> result = notifier.markRead(userId, ids);
      reply.ok("updated", result.get("updated"), "unread", result.get("unread"));
    });
    notifier.sendUnread(socket, userId);
  }

  private static Middleware counted(Middleware m, Metrics metrics) {
    return socket -> {
      try {
        m.handle(socket);
      } catch (ConnectError e) {
        Object code = e.data() instanceof Map<?, ?> d ? d.get("code") : null;
        metrics.connectionRefused(code == null ? "OTHER" : code.toString());
        throw e;
      }
    };
  }

  public int port() {
    return server.port();
  }

  public ChatConfig config() {
    return config;
  }

  public SocketIoServer io() {
    return server.io();
  }

  /** The account store (tests use it to disable an account). */
  public UserRepository users() {
    return users;
  }

  /** The admin UI instrumentation, or null when {@code adminUi} is off. */
  public AdminUi adminUi() {
    return adminUi;
  }

  @Override
  public void close() {
    try {
      if (adminUi != null) {
        adminUi.close();
      }
      server.close();
    } finally {
      scheduler.shutdownNow();
      httpExecutor.shutdown();
      try {
        httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      db.close();
      log.info("Parley chat stopped");
    }
  }
}
