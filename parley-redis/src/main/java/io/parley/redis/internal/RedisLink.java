package io.parley.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Redis connections of one Socket.IO server, shared by the adapters of all its namespaces:
 * one for commands and publishing, one in subscribed state. Received messages are handed, in
 * arrival order, to a dedicated delivery thread ({@link #executor()}), so Lettuce's I/O threads
 * never run adapter code; request timeouts run on the same thread, so per-request state needs no
 * locks. Futures handed to users complete on virtual threads ({@link #handOff}).
 *
 * <p>Lettuce reconnects by itself and re-issues the subscriptions it tracks (channels, patterns and
 * shard channels); this class logs the state changes. Reference-counted: the last
 * {@link #release()} closes both connections (the {@link RedisClient} belongs to the caller).
 */
public final class RedisLink {
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Receives the messages of one subscription, on the delivery thread. */
  @FunctionalInterface
  public interface Handler {
    void onMessage(String channel, byte[] message);
  }

  private final RedisClient client;
  private final String name;
  private final StatefulRedisConnection<byte[], byte[]> pub;
  private final StatefulRedisPubSubConnection<byte[], byte[]> sub;
  private final ScheduledThreadPoolExecutor executor;
  private final ExecutorService callbacks;
  private final Map<String, Handler> channels = new ConcurrentHashMap<>();
  private final Map<String, Handler> patterns = new ConcurrentHashMap<>();
  private final Map<String, Handler> shardChannels = new ConcurrentHashMap<>();
  private final RedisConnectionStateListener stateListener;
  private final RefCount refs = new RefCount();

  private RedisLink(RedisClient client) {
    this.client = client;
    this.name = "parley-redis-" + COUNTER.incrementAndGet();
    this.pub = client.connect(ByteArrayCodec.INSTANCE);
    try {
      this.sub = client.connectPubSub(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      pub.closeAsync();
      throw e;
    }
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    callbacks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-callback-", 0).factory());
    sub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] channel, byte[] message) {
        deliver(channels, string(channel), string(channel), message);
      }

      @Override
      public void message(byte[] pattern, byte[] channel, byte[] message) {
        deliver(patterns, string(pattern), string(channel), message);
      }

      @Override
      public void smessage(byte[] channel, byte[] message) {
        deliver(shardChannels, string(channel), string(channel), message);
      }
    });
    stateListener = new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (connection == sub) {
          log.info("{}: subscriber connection re-established to {}; restoring {} channel(s), {} pattern(s), "
              + "{} shard channel(s)", name, address, channels.size(), patterns.size(), shardChannels.size());
        } else if (connection == pub) {
          log.info("{}: publisher connection re-established to {}", name, address);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (refs.released()) {
          return;
        }
        if (connection == sub) {
          log.warn("{}: subscriber connection lost; reconnecting (messages published meanwhile are missed)", name);
        } else if (connection == pub) {
          log.warn("{}: publisher connection lost; reconnecting (commands wait for it)", name);
        }
      }
    };
    client.addListener(stateListener);
    log.debug("{}: connected", name);
  }

  /** Opens both connections (blocking until connected) with one reference held by the caller. */
  public static RedisLink open(RedisClient client) {
    RedisLink link = new RedisLink(client);
    return link;
  }

  /** Takes another reference; false when the link is already closed. */
  public boolean retain() {
    return refs.retain();
  }

  /**
   * Drops a reference; the last one closes the connections (waiting up to 2 s for them, unless on an
   * I/O thread) and the threads, and returns true.
   */
  public boolean release() {
    if (!refs.release()) {
      return false;
    }
    client.removeListener(stateListener);
    CompletableFuture<Void> closing = CompletableFuture.allOf(sub.closeAsync(), pub.closeAsync());
    executor.shutdown();
    callbacks.shutdown();
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      // Closing happens when the server closes: let it finish, so that shutting the client down
      // right after finds nothing half-closed. Never on an I/O thread.
      try {
        closing.get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.debug("{}: closing: {}", name, e.toString());
      }
    }
    log.debug("{}: closed", name);
    return true;
  }

  /** Whether both connections are open now (Lettuce reconnects them when they drop). */
  public boolean connected() {
    return pub.isOpen() && sub.isOpen();
  }

  public String name() {
    return name;
  }

  /** The delivery thread: messages, request timeouts and request state live here. */
  public ScheduledExecutorService executor() {
    return executor;
  }

  /** A future that completes like {@code f}, but on a virtual thread, so user callbacks cannot stall delivery. */
  public <T> CompletableFuture<T> handOff(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((v, e) -> {
      try {
        callbacks.execute(() -> {
          if (e != null) {
            out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
          } else {
            out.complete(v);
          }
        });
      } catch (RejectedExecutionException closing) {
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          out.complete(v);
        }
      }
    });
    return out;
  }

  private void deliver(Map<String, Handler> handlers, String key, String channel, byte[] message) {
    Handler h = handlers.get(key);
    if (h == null) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          h.onMessage(channel, message);
        } catch (RuntimeException e) {
          log.warn("{}: handling a message of {} failed", name, channel, e);
        }
      });
    } catch (RejectedExecutionException closing) {
      log.debug("{}: dropping a message of {} while closing", name, channel);
    }
  }

  // ---- subscriptions ----

  public CompletableFuture<Void> subscribe(String channel, Handler h) {
    channels.put(channel, h);
    return sub.async().subscribe(bytes(channel)).toCompletableFuture();
  }

  public CompletableFuture<Void> unsubscribe(String channel) {
    channels.remove(channel);
    return sub.async().unsubscribe(bytes(channel)).toCompletableFuture();
  }

  public CompletableFuture<Void> psubscribe(String pattern, Handler h) {
    patterns.put(pattern, h);
    return sub.async().psubscribe(bytes(pattern)).toCompletableFuture();
  }

  public CompletableFuture<Void> punsubscribe(String pattern) {
    patterns.remove(pattern);
    return sub.async().punsubscribe(bytes(pattern)).toCompletableFuture();
  }

  public CompletableFuture<Void> ssubscribe(String channel, Handler h) {
    shardChannels.put(channel, h);
    return sub.async().ssubscribe(bytes(channel)).toCompletableFuture();
  }

  public CompletableFuture<Void> sunsubscribe(String channel) {
    shardChannels.remove(channel);
    return sub.async().sunsubscribe(bytes(channel)).toCompletableFuture();
  }

  // ---- commands ----

  public CompletableFuture<Long> publish(String channel, byte[] message) {
    return logFailure("PUBLISH " + channel, pub.async().publish(bytes(channel), message).toCompletableFuture());
  }

  public CompletableFuture<Long> spublish(String channel, byte[] message) {
    return logFailure("SPUBLISH " + channel, pub.async().spublish(bytes(channel), message).toCompletableFuture());
  }

  /** {@code PUBSUB NUMSUB channel}, completed on the delivery thread. */
  public CompletableFuture<Integer> numsub(String channel) {
    return pub.async().pubsubNumsub(bytes(channel)).toCompletableFuture()
        .thenApplyAsync(RedisLink::sum, executor);
  }

  /** {@code PUBSUB SHARDNUMSUB channel}, completed on the delivery thread. */
  public CompletableFuture<Integer> shardNumsub(String channel) {
    return pub.async().pubsubShardNumsub(bytes(channel)).toCompletableFuture()
        .thenApplyAsync(RedisLink::sum, executor);
  }

  /** The {@code CLIENT ID}s of the publishing and the subscribed connection, in that order. */
  public CompletableFuture<List<Long>> clientIds() {
    CompletableFuture<Long> p = pub.async().clientId().toCompletableFuture();
    CompletableFuture<Long> s = sub.async().clientId().toCompletableFuture();
    return handOff(p.thenCombine(s, List::of));
  }

  private static int sum(Map<byte[], Long> counts) {
    long n = 0;
    for (Long v : counts.values()) {
      n += v == null ? 0 : v;
    }
    return (int) n;
  }

  private <T> CompletableFuture<T> logFailure(String what, CompletableFuture<T> f) {
    f.whenComplete((v, e) -> {
      if (e != null) {
        log.warn("{}: {} failed: {}", name, what, e.toString());
      }
    });
    return f;
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
