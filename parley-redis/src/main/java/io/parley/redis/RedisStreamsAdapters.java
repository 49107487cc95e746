package io.parley.redis;

import io.lettuce.core.RedisClient;
import io.parley.redis.internal.RedisLink;
import io.parley.redis.internal.StreamLink;
import io.parley.server.adapter.Adapter;
import io.parley.server.HealthIndicator;
import io.parley.server.Namespace;
import io.parley.server.SocketIoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The adapter factory of the Redis Streams adapter ({@link RedisStreamsAdapter}), for
 * {@code ServerOptions.adapterFactory}:
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
 * ServerOptions options = ServerOptions.builder()
 *     .adapterFactory(RedisAdapters.streams(redis))
 *     .connectionStateRecovery(RecoveryOptions.DEFAULT)
 *     .build();
 * }</pre>
 *
 * <p>Each Socket.IO server gets, when its first namespace is created (blocking), a publishing and a
 * subscribed connection, a command connection and a reading connection with its XREAD thread,
 * shared by all its namespaces and closed with the server. The {@link RedisClient} stays the
 * caller's to shut down, after the servers.
 */
public final class RedisStreamsAdapters implements Function<Namespace, Adapter>, HealthIndicator {
  private record Shared(RedisLink link, StreamLink streams) {}

  private final RedisClient client;
  private final RedisStreamsOptions options;
  private final Map<SocketIoServer, Shared> shared = new ConcurrentHashMap<>();

  RedisStreamsAdapters(RedisClient client, RedisStreamsOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options the adapters are made with. */
  public RedisStreamsOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Whether every server's Redis connections (Pub/Sub, commands, the XREAD loop's) are open (true before any server uses it). */
  @Override
  public boolean healthy() {
    return shared.values().stream().allMatch(s -> s.link().connected() && s.streams().connected());
  }

  private List<String> streamNames() {
    if (options.streamCount() == 1) {
      return List.of(options.streamName());
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < options.streamCount(); i++) {
      names.add(options.streamName() + "-" + i);
    }
    return names;
  }

  /**
   * The adapter of a new namespace; called by the server through
   * {@code ServerOptions.adapterFactory}. The first namespace of a server opens its connections and
   * starts its XREAD thread, blocking; they close when its last adapter closes.
   */
  @Override
  public Adapter apply(Namespace nsp) {
    SocketIoServer server = nsp.server();
    Shared s = shared.compute(server, (k, sh) -> {
      if (sh != null && sh.link().retain()) {
        if (sh.streams().retain()) {
          return sh;
        }
        sh.link().release();
      }
      RedisLink link = RedisLink.open(client);
      try {
        return new Shared(link, StreamLink.open(client, streamNames(), options.readCount(), options.blockTime(),
            link.executor()));
      } catch (RuntimeException e) {
        link.release();
        throw e;
      }
    });
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        boolean last = s.streams().release();
        s.link().release();
        if (last) {
          shared.remove(server, s);
        }
      }
    };
    return new RedisStreamsAdapter(nsp, s.link(), s.streams(), options, release);
  }
}
