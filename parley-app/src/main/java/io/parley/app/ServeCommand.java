package io.parley.app;

import io.parley.chat.ChatApp;
import io.parley.chat.config.ChatConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.lettuce.core.RedisClient;
import io.parley.redis.RedisAdapters;
import io.parley.server.Adapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Starts the chat and notifications application (parley-chat). Every option also reads a
 * {@code PARLEY_*} environment variable.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the chat and notifications application (HTTP API, Socket.IO, web page).")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

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

  @Option(names = "--redis", defaultValue = "${env:PARLEY_REDIS}",
      description = "Join a cluster of nodes through this Redis, e.g. redis://127.0.0.1:6379 (env PARLEY_REDIS).")
  String redis;

  @Option(names = "--sharded", defaultValue = "${env:PARLEY_REDIS_SHARDED:-false}",
      description = "With --redis: the sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE) instead of the classic one.")
  boolean sharded;

  @Option(names = "--recovery", paramLabel = "MS", defaultValue = "${env:PARLEY_RECOVERY_MS}",
      description = "Socket.IO connection state recovery with this window in ms (in memory; with --streams, in Redis; env PARLEY_RECOVERY_MS).")
  Long recoveryMs;

  @Option(names = "--streams", defaultValue = "${env:PARLEY_REDIS_STREAMS:-false}",
      description = "With --redis: the Redis Streams adapter, connection state recovery on across nodes (window: --recovery, default 120000; env PARLEY_REDIS_STREAMS).")
  boolean streams;

  @Override
  public Integer call() throws Exception {
    RedisClient redisClient = null;
    if (streams && sharded) {
      throw new ParameterException(spec.commandLine(), "--streams and --sharded exclude each other");
    }
    if (redis != null && !redis.isBlank()) {
      redisClient = RedisClient.create(redis);
    } else if (sharded || streams) {
      throw new ParameterException(spec.commandLine(), (sharded ? "--sharded" : "--streams") + " needs --redis");
    }
    io.parley.server.RecoveryOptions recovery;
    try {
      recovery = BenchServer.recovery(recoveryMs, streams);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<String> origins = corsOrigin == null ? List.of()
        : Arrays.stream(corsOrigin.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    ChatConfig config = ChatConfig.builder().host(host).port(port).dataDir(dataDir).db(db, dbUser, dbPassword)
        .jwtSecret(jwtSecret).webhookSecret(webhookSecret).adminPassword(adminPassword).corsOrigins(origins)
        .adapterFactory(redisClient == null ? Adapter::new
            : streams ? RedisAdapters.streams(redisClient)
            : sharded ? RedisAdapters.sharded(redisClient) : RedisAdapters.classic(redisClient))
        .connectionStateRecovery(recovery)
        .build();
    ChatApp app = ChatApp.start(config);
    System.out.println("Parley chat is running: open http://localhost:" + app.port() + "/ (Socket.IO at /socket.io/, database "
        + (config.dbUrl() == null ? "H2 in " + dataDir.toAbsolutePath() : "from --db") + ")");
    if (webhookSecret == null || webhookSecret.isBlank()) {
      System.out.println("Webhooks /internal/notify/* are disabled (no --webhook-secret).");
    }
    if (redisClient != null) {
      System.out.println("Clustered through Redis at " + redis
          + (streams ? " (Redis Streams adapter)" : sharded ? " (sharded adapter)" : ""));
    }
    if (recovery != null) {
      System.out.println("Connection state recovery on: " + recovery.maxDisconnectionDuration().toMillis() + " ms window.");
    }
    CountDownLatch stop = new CountDownLatch(1);
    RedisClient toClose = redisClient;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      if (toClose != null) {
        toClose.shutdown();
      }
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
