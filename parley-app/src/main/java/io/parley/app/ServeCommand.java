package io.parley.app;

import io.parley.chat.ChatApp;
import io.parley.chat.config.ChatConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Starts the chat and notifications application (parley-chat). Every option also reads a
 * {@code PARLEY_*} environment variable.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the chat and notifications application (HTTP API, Socket.IO, web page).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-4000}", description = "Port (default: ${DEFAULT-VALUE}; env PARLEY_PORT).")
  int port;

  @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-0.0.0.0}", description = "Address to bind (default: ${DEFAULT-VALUE}; env PARLEY_HOST).")
  String host;

  @Option(names = "--data-dir", defaultValue = "${env:PARLEY_DATA_DIR:-data}",
      description = "Directory of the embedded H2 database and the generated JWT secret (default: ${DEFAULT-VALUE}; env PARLEY_DATA_DIR).")
  Path dataDir;

  @Option(names = "--db", defaultValue = "${env:PARLEY_DB}",
      description = "JDBC URL of the database, e.g. jdbc:postgresql://127.0.0.1:5432/parley (default: H2 in the data dir; env PARLEY_DB).")
  String db;

  @Option(names = "--db-user", defaultValue = "${env:PARLEY_DB_USER}", description = "Database user (env PARLEY_DB_USER).")
  String dbUser;

  @Option(names = "--db-password", defaultValue = "${env:PARLEY_DB_PASSWORD}", description = "Database password (env PARLEY_DB_PASSWORD).")
  String dbPassword;

  @Option(names = "--jwt-secret", defaultValue = "${env:PARLEY_JWT_SECRET}",
      description = "HS256 secret of the tokens (default: generated once and kept in <data-dir>/jwt-secret; env PARLEY_JWT_SECRET).")
  String jwtSecret;

  @Option(names = "--webhook-secret", defaultValue = "${env:PARLEY_WEBHOOK_SECRET}",
      description = "Bearer secret of POST /internal/notify/* (webhooks are off without it; env PARLEY_WEBHOOK_SECRET).")
  String webhookSecret;

  @Option(names = "--admin-password", defaultValue = "${env:PARLEY_ADMIN_PASSWORD}",
      description = "Create or update the account 'admin' (role admin) with this password (env PARLEY_ADMIN_PASSWORD).")
  String adminPassword;

  @Option(names = "--cors-origin", defaultValue = "${env:PARLEY_CORS_ORIGIN}",
      description = "Page origin(s) allowed cross-origin, comma separated (default: same origin only; env PARLEY_CORS_ORIGIN).")
  String corsOrigin;

  @Option(names = "--admin-ui", defaultValue = "${env:PARLEY_ADMIN_UI:-false}",
      description = "Serve the @socket.io/admin-ui web UI and instrument the server for it; accounts with role admin log in (env PARLEY_ADMIN_UI).")
  boolean adminUi;

  @Option(names = "--admin-ui-path", defaultValue = "${env:PARLEY_ADMIN_UI_PATH:-/admin-ui/}",
      description = "Where the admin UI is served (default: ${DEFAULT-VALUE}; env PARLEY_ADMIN_UI_PATH).")
  String adminUiPath;

  @Option(names = "--admin-ui-namespace", defaultValue = "${env:PARLEY_ADMIN_UI_NAMESPACE:-/socket.io-admin}",
      description = "The namespace the admin UI connects to, not the chat's /admin (default: ${DEFAULT-VALUE}; env PARLEY_ADMIN_UI_NAMESPACE).")
  String adminUiNamespace;

  @Option(names = "--admin-ui-readonly", defaultValue = "${env:PARLEY_ADMIN_UI_READONLY:-false}",
      description = "The admin UI may look but not disconnect, join, leave or emit (env PARLEY_ADMIN_UI_READONLY).")
  boolean adminUiReadonly;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  ProxyOptions proxies;

  @Mixin
  LoggingOptions logging;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    cluster.validate();
    proxies.trustedProxies(); // validates

    List<String> origins = corsOrigin == null ? List.of()
        : Arrays.stream(corsOrigin.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    ChatConfig config = ChatConfig.builder().host(host).port(port).dataDir(dataDir).db(db, dbUser, dbPassword)
        .jwtSecret(jwtSecret).webhookSecret(webhookSecret).adminPassword(adminPassword).corsOrigins(origins)
        .adapterFactory(cluster.adapterFactory())
        .connectionStateRecovery(cluster.recovery())
        .trustedProxies(proxies.list())
        .adminUi(adminUi ? new ChatConfig.AdminUiConfig(adminUiPath, adminUiNamespace, adminUiReadonly) : null)
        .build();
    ChatApp app = ChatApp.start(config);
    System.out.println("Parley chat is running: open http://localhost:" + app.port() + "/ (Socket.IO at /socket.io/, database "
        + (config.dbUrl() == null ? "H2 in " + dataDir.toAbsolutePath() : "from --db") + ")");
    if (adminUi) {
      System.out.println("Admin UI: open http://localhost:" + app.port() + config.adminUi().path()
          + " and connect to http://localhost:" + app.port() + " with namespace " + config.adminUi().namespace()
          + " (advanced options) as an account with role admin" + (config.adminUi().readonly() ? " (read-only)" : "") + ".");
    }
    if (webhookSecret == null || webhookSecret.isBlank()) {
      System.out.println("Webhooks /internal/notify/* are disabled (no --webhook-secret).");
    }
    if (cluster.describe() != null) {
      System.out.println(cluster.describe());
    }
    if (proxies.describe() != null) {
      System.out.println(proxies.describe());
    }
    return Running.untilShutdown(app, cluster);
  }
}
