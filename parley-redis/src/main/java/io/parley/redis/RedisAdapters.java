package io.parley.redis;

import io.lettuce.core.RedisClient;
import io.parley.redis.internal.RedisLink;
import io.parley.server.adapter.Adapter;
import io.parley.server.HealthIndicator;
import io.parley.server.Namespace;
import io.parley.server.SocketIoServer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Adapter factories for {@code ServerOptions.adapterFactory}:
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
 * ServerOptions options = ServerOptions.builder()
 *     .adapterFactory(RedisAdapters.classic(redis, RedisAdapterOptions.DEFAULT))
 *     .build();
 * }</pre>
 *
 * <p>Each Socket.IO server gets one publishing and one subscribed connection, opened (blocking)
 * when its first namespace is created and shared by all its namespaces; they close with the server.
 * The {@link RedisClient} stays the caller's to shut down, after the servers. One factory may serve
 * several servers; it is thread-safe, and a {@link HealthIndicator} of those connections.
 */
public final class RedisAdapters implements Function<Namespace, Adapter>, HealthIndicator {
  private final RedisClient client;
  private final RedisAdapterOptions options;
  private final boolean sharded;
  private final Map<SocketIoServer, RedisLink> links = new ConcurrentHashMap<>();

  private RedisAdapters(RedisClient client, RedisAdapterOptions options, boolean sharded) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.sharded = sharded;
  }

  /**
   * The classic adapter (PUBLISH / PSUBSCRIBE), the default of {@code @socket.io/redis-adapter}
   * ({@code createAdapter(pubClient, subClient, opts)}); see {@link RedisAdapter}. The one that
   * {@link RedisEmitter} reaches.
   *
   * @param client the Lettuce client to open connections with
   * @param options key, timeout and response channel
   * @return the adapter factory
   */
  public static RedisAdapters classic(RedisClient client, RedisAdapterOptions options) {
    return new RedisAdapters(client, options, false);
  }

  /**
   * The classic adapter with {@link RedisAdapterOptions#DEFAULT}.
   *
   * @param client the Lettuce client to open connections with
   * @return the adapter factory
   */
  public static RedisAdapters classic(RedisClient client) {
    return classic(client, RedisAdapterOptions.DEFAULT);
  }

  /**
   * The sharded adapter (Redis 7 SPUBLISH / SSUBSCRIBE), as {@code createShardedAdapter}; see
   * {@link ShardedRedisAdapter}. {@link RedisEmitter} cannot reach it.
   *
   * @param client the Lettuce client to open connections with
   * @param options channel prefix and subscription mode
   * @return the adapter factory
   */
  public static RedisAdapters sharded(RedisClient client, RedisAdapterOptions options) {
    return new RedisAdapters(client, options, true);
  }

  /**
   * The sharded adapter with {@link RedisAdapterOptions#DEFAULT}.
   *
   * @param client the Lettuce client to open connections with
   * @return the adapter factory
   */
  public static RedisAdapters sharded(RedisClient client) {
    return sharded(client, RedisAdapterOptions.DEFAULT);
  }

  /**
   * The Redis Streams adapter, as {@code createAdapter} of {@code @socket.io/redis-streams-adapter}:
   * the one to use with connection state recovery across servers.
   *
   * @param client the Lettuce client to open connections with
   * @param options stream, channels and session keys
   * @return the adapter factory
   */
  public static RedisStreamsAdapters streams(RedisClient client, RedisStreamsOptions options) {
    return new RedisStreamsAdapters(client, options);
  }

  /**
   * The Redis Streams adapter with {@link RedisStreamsOptions#DEFAULT}.
   *
   * @param client the Lettuce client to open connections with
   * @return the adapter factory
   */
  public static RedisStreamsAdapters streams(RedisClient client) {
    return streams(client, RedisStreamsOptions.DEFAULT);
  }

  /** The options the adapters are made with. */
  public RedisAdapterOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Whether every server's Redis connections are open (true before any server uses it). */
  @Override
  public boolean healthy() {
    return links.values().stream().allMatch(RedisLink::connected);
  }

  /**
   * The adapter of a new namespace; called by the server through
   * {@code ServerOptions.adapterFactory}. The first namespace of a server opens its connections,
   * blocking; they close when its last adapter closes.
   */
  @Override
  public Adapter apply(Namespace nsp) {
    SocketIoServer server = nsp.server();
    RedisLink link = links.compute(server, (k, l) -> l != null && l.retain() ? l : RedisLink.open(client));
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true) && link.release()) {
        links.remove(server, link);
      }
    };
    return sharded ? new ShardedRedisAdapter(nsp, link, options, release)
        : new RedisAdapter(nsp, link, options, release);
  }
}
