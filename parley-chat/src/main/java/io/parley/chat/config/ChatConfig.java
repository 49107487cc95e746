package io.parley.chat.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import io.parley.server.adapter.Adapter;
import io.parley.server.Namespace;
import io.parley.server.recovery.RecoveryOptions;

/**
 * Everything the application is started with. Built by {@code parley serve} from its flags and
 * {@code PARLEY_*} variables, and by tests directly.
 *
 * @param host address to bind
 * @param port HTTP port; 0 picks a free one
 * @param dataDir where the embedded database and the generated JWT secret live
 * @param dbUrl a JDBC URL; null means the embedded H2 database {@code <dataDir>/parley}
 * @param dbUser database user (may be null when the URL carries it)
 * @param dbPassword database password (may be null)
 * @param jwtSecret HS256 secret; null means read or create {@code <dataDir>/jwt-secret}
 * @param webhookSecret bearer secret of {@code /internal/notify/*}; null disables the webhooks
 * @param adminPassword when set, the account {@code admin} (role admin) is created or updated with it
 * @param corsOrigins page origins allowed to call the server cross-origin (empty: same origin only)
 * @param tokenLifetime lifetime of the tokens {@code /api/login} issues
 * @param typingTimeout how long {@code chat:typing-start} lasts without a stop (3 s)
 * @param bcryptCost the bcrypt work factor (10; tests use 4)
 * @param adapterFactory the Socket.IO adapter of each namespace (in-memory; a Redis adapter for a cluster)
 * @param connectionStateRecovery Socket.IO connection state recovery, or null when off (the default)
 * @param trustedProxies reverse proxies (addresses, CIDR ranges) whose {@code X-Forwarded-For} names the
 *     client address; empty (the default): the header is ignored and the TCP peer is the client
 * @param adminUi the {@code @socket.io/admin-ui} web UI and its namespace, or null when off (the default)
 */
public record ChatConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String jwtSecret,
    String webhookSecret,
    String adminPassword,
    List<String> corsOrigins,
    Duration tokenLifetime,
    Duration typingTimeout,
    int bcryptCost,
    Function<Namespace, Adapter> adapterFactory,
    RecoveryOptions connectionStateRecovery,
    List<String> trustedProxies,
    AdminUiConfig adminUi) {

  /**
   * The admin UI: its static files at {@code path}, the instrumented namespace {@code namespace}
   * (never the chat's own {@code /admin}), logins of accounts with role admin.
   */
  public record AdminUiConfig(String path, String namespace, boolean readonly) {
    public static final String DEFAULT_PATH = "/admin-ui/";
    public static final String DEFAULT_NAMESPACE = "/socket.io-admin";

    public AdminUiConfig {
      path = path == null || path.isBlank() ? DEFAULT_PATH : path;
      namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
      if (!path.matches("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+/?")) {
        throw new IllegalArgumentException("admin UI path must look like /admin-ui/, not " + path);
      }
      path = path.endsWith("/") ? path : path + "/";
      for (String taken : List.of("/api/", "/internal/", "/socket.io/", "/health/", "/metrics/", "/assets/")) {
        if (path.startsWith(taken)) {
          throw new IllegalArgumentException("admin UI path " + path + " is the application's");
        }
      }
      namespace = namespace.startsWith("/") ? namespace : "/" + namespace;
      if (List.of("/", "/admin", "/notifications").contains(namespace)) {
        throw new IllegalArgumentException("admin UI namespace " + namespace + " is one of the chat's own namespaces");
      }
    }

    public static AdminUiConfig defaults() {
      return new AdminUiConfig(null, null, false);
    }
  }

  public ChatConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    Objects.requireNonNull(typingTimeout, "typingTimeout");
    Objects.requireNonNull(adapterFactory, "adapterFactory");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    if (bcryptCost < 4 || bcryptCost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be 4 to 31, not " + bcryptCost);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().host(host).port(port).dataDir(dataDir).db(dbUrl, dbUser, dbPassword)
        .jwtSecret(jwtSecret).webhookSecret(webhookSecret).adminPassword(adminPassword)
        .corsOrigins(corsOrigins).tokenLifetime(tokenLifetime).typingTimeout(typingTimeout).bcryptCost(bcryptCost)
        .adapterFactory(adapterFactory).connectionStateRecovery(connectionStateRecovery)
        .trustedProxies(trustedProxies).adminUi(adminUi);
  }

  /** The JDBC URL actually used. */
  public String effectiveDbUrl() {
    if (dbUrl != null && !dbUrl.isBlank()) {
      return dbUrl;
    }
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley") + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 4000;
    private Path dataDir = Path.of("data");
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private String jwtSecret;
    private String webhookSecret;
    private String adminPassword;
    private List<String> corsOrigins = List.of();
    private Duration tokenLifetime = Duration.ofHours(24);
    private Duration typingTimeout = Duration.ofSeconds(3);
    private int bcryptCost = 10;
    private Function<Namespace, Adapter> adapterFactory = Adapter::new;
    private RecoveryOptions connectionStateRecovery;
    private List<String> trustedProxies = List.of();

    public Builder trustedProxies(List<String> v) {
      trustedProxies = v;
      return this;
    }

    private AdminUiConfig adminUi;

    /** Serves the admin UI and instruments the server for it; null (the default) leaves it off. */
    public Builder adminUi(AdminUiConfig v) {
      adminUi = v;
      return this;
    }

    public Builder connectionStateRecovery(RecoveryOptions v) {
      connectionStateRecovery = v;
      return this;
    }

    public Builder adapterFactory(Function<Namespace, Adapter> v) {
      adapterFactory = v;
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder db(String url, String user, String password) {
      dbUrl = blankToNull(url);
      dbUser = blankToNull(user);
      dbPassword = blankToNull(password);
      return this;
    }

    public Builder jwtSecret(String v) {
      jwtSecret = blankToNull(v);
      return this;
    }

    public Builder webhookSecret(String v) {
      webhookSecret = blankToNull(v);
      return this;
    }

    public Builder adminPassword(String v) {
      adminPassword = blankToNull(v);
      return this;
    }

    public Builder corsOrigins(List<String> v) {
      corsOrigins = v;
      return this;
    }

    public Builder tokenLifetime(Duration v) {
      tokenLifetime = v;
      return this;
    }

    public Builder typingTimeout(Duration v) {
      typingTimeout = v;
      return this;
    }

    public Builder bcryptCost(int v) {
      bcryptCost = v;
      return this;
    }

    public ChatConfig build() {
      return new ChatConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, jwtSecret, webhookSecret,
          adminPassword, corsOrigins, tokenLifetime, typingTimeout, bcryptCost, adapterFactory,
          connectionStateRecovery, trustedProxies, adminUi);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }
}
