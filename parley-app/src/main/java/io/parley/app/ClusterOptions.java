package io.parley.app;

import io.lettuce.core.RedisClient;
import io.parley.redis.RedisAdapters;
import io.parley.server.adapter.Adapter;
import io.parley.server.Namespace;
import io.parley.server.recovery.RecoveryOptions;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The cluster and recovery options shared by {@code serve} and {@code bench-server}: which adapter
 * ({@code --redis} with {@code --sharded} or {@code --streams}) and which recovery window
 * ({@code --recovery}). A mixin: picocli adds these options to each command that declares it.
 */
final class ClusterOptions implements AutoCloseable {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--redis", defaultValue = "${env:PARLEY_REDIS}",
      description = "Join a cluster of nodes through this Redis, e.g. redis://127.0.0.1:6379 (env PARLEY_REDIS).")
  String redis;

  @Option(names = "--sharded", defaultValue = "${env:PARLEY_REDIS_SHARDED:-false}",
      description = "With --redis: the sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE) instead of the classic one.")
  boolean sharded;

  @Option(names = "--streams", defaultValue = "${env:PARLEY_REDIS_STREAMS:-false}",
      description = "With --redis: the Redis Streams adapter, connection state recovery on across nodes "
          + "(window: --recovery, default 120000; env PARLEY_REDIS_STREAMS).")
  boolean streams;

  @Option(names = "--recovery", paramLabel = "MS", defaultValue = "${env:PARLEY_RECOVERY_MS}",
      description = "Socket.IO connection state recovery with this window in ms (in memory; with --streams, in Redis; "
          + "env PARLEY_RECOVERY_MS).")
  Long recoveryMs;

  private RedisClient client;

  /** Checks the combination; call before the other methods. */
  void validate() {
    if (streams && sharded) {
      throw new ParameterException(spec.commandLine(), "--streams and --sharded exclude each other");
    }
    if (!clustered() && (sharded || streams)) {
      throw new ParameterException(spec.commandLine(), (sharded ? "--sharded" : "--streams") + " needs --redis");
    }
    if (recoveryMs != null && recoveryMs <= 0) {
      throw new ParameterException(spec.commandLine(), "--recovery must be a positive number of milliseconds");
    }
  }

  boolean clustered() {
    return redis != null && !redis.isBlank();
  }

  /** The adapter factory: in-memory, or the Redis adapter chosen (its client opened on first call). */
  Function<Namespace, Adapter> adapterFactory() {
    if (!clustered()) {
      return Adapter::new;
    }
    if (client == null) {
      client = RedisClient.create(redis);
    }
    return streams ? RedisAdapters.streams(client) : sharded ? RedisAdapters.sharded(client) : RedisAdapters.classic(client);
  }

  /** The recovery options, or null when recovery is off. */
  RecoveryOptions recovery() {
    if (recoveryMs != null) {
      return RecoveryOptions.of(Duration.ofMillis(recoveryMs));
    }
    return streams ? RecoveryOptions.DEFAULT : null;
  }

  /** One line for the console, or null when running alone without recovery. */
  String describe() {
    RecoveryOptions r = recovery();
    String cluster = clustered()
        ? "Clustered through Redis at " + redis + (streams ? " (Redis Streams adapter)" : sharded ? " (sharded adapter)" : "")
        : null;
    String rec = r == null ? null : "connection state recovery on: " + r.maxDisconnectionDuration().toMillis() + " ms window";
    return cluster == null ? rec : rec == null ? cluster : cluster + "; " + rec;
  }

  /** Shuts the Redis client down (after the server using it). */
  @Override
  public void close() {
    if (client != null) {
      client.shutdown();
    }
  }
}
