package io.parley.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.adminui.AdminUi;
import io.parley.adminui.AdminUiOptions;
import io.parley.chat.admin.AdminHandlers;
import io.parley.chat.admin.AdminUiLogins;
import io.parley.chat.admin.AdminUiSite;
import io.parley.chat.auth.AuthRoutes;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Passwords;
import io.parley.chat.auth.Secrets;
import io.parley.chat.auth.Tokens;
import io.parley.chat.auth.UserRepository;
import io.parley.chat.config.ChatConfig;
import io.parley.chat.db.Database;
import io.parley.chat.events.Events;
import io.parley.chat.messages.MessageHandlers;
import io.parley.chat.messages.MessageRepository;
import io.parley.chat.metrics.Metrics;
import io.parley.chat.notifications.InboxRepository;
import io.parley.chat.notifications.NotificationHandlers;
import io.parley.chat.notifications.NotificationRoutes;
import io.parley.chat.notifications.Notifier;
import io.parley.chat.notifications.ProductRepository;
import io.parley.chat.notifications.Webhooks;
import io.parley.chat.rooms.RoomHandlers;
import io.parley.chat.rooms.RoomRepository;
import io.parley.chat.rooms.RoomRoutes;
import io.parley.chat.web.Router;
import io.parley.chat.web.StaticSite;
import io.parley.netty.ParleyServer;
import io.parley.netty.TrustedProxies;
import io.parley.server.ConnectError;
import io.parley.server.HealthIndicator;
import io.parley.server.Middleware;
import io.parley.server.Namespace;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EngineOptions;
import io.parley.server.http.HttpRoute;
import java.io.IOException;
import java.nio.file.Files;
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
    if (config.adapterFactory() instanceof HealthIndicator cluster) {
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
    MessageHandlers messageHandlers = new MessageHandlers(main, rooms, messages, users, events);
    RoomHandlers roomHandlers = new RoomHandlers(main, rooms, events, messageHandlers::history, scheduler,
        config.typingTimeout());
    NotificationHandlers notificationHandlers = new NotificationHandlers(events, notifier);
    AdminHandlers adminHandlers = new AdminHandlers(adminNsp, events);
    AuthRoutes authRoutes = new AuthRoutes(users, passwords, tokens);
    new OpsRoutes(db, metrics, io::connectionCount,
        config.adapterFactory() instanceof HealthIndicator h ? List.of(h) : List.of()).mount(router);
    authRoutes.mount(router);
    new RoomRoutes(rooms, users, auth).mount(router);
    new NotificationRoutes(products, auth, notifier).mount(router);
    new Webhooks(notifier, config.webhookSecret()).mount(router);
    router.observer(metrics::http);

    for (Namespace n : List.of(main, notificationsNsp, adminNsp)) {
      n.use(counted(auth.middleware(n == adminNsp), metrics));
      metrics.gauge("parley_connected_sockets", "Sockets connected now", n.name(), () -> n.sockets().size());
    }
    main.onConnection(socket -> {
      roomHandlers.register(socket);
      messageHandlers.register(socket);
      notificationHandlers.registerInbox(socket);
    });
    notificationsNsp.onConnection(notificationHandlers::registerNotifications);
    adminNsp.onConnection(adminHandlers::register);

    AdminUi adminUi = config.adminUi() == null ? null
        : AdminUi.instrument(io, AdminUiOptions.builder()
            .namespace(config.adminUi().namespace())
            .auth(new AdminUiLogins(users, passwords, authRoutes.loginThrottle()))
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

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
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
