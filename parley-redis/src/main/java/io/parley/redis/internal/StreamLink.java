package io.parley.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams side of one Socket.IO server, shared by its namespaces: a connection for
 * commands (XADD, XRANGE, SET, GETDEL) and a dedicated connection on which one thread runs the
 * blocking XREAD loop over the cluster's streams. Entries are handed, in stream order, to the
 * delivery thread of the server's {@link RedisLink}, which also runs everything that must be
 * ordered with them (the attach of a recovered socket); {@link #lastProcessed} is the id of the
 * last entry that thread handled.
 *
 * <p>The loop starts at the stream's last entry when the link opens and resumes from the last entry
 * read after a Redis error (the connection reconnects by itself), so no entry is skipped while the
 * stream keeps it. Reference-counted like {@link RedisLink}.
 */
public final class StreamLink {
  private static final Logger log = LoggerFactory.getLogger(StreamLink.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisConnection<String, String> reader;
  private final ScheduledExecutorService delivery;
  private final List<String> streams;
  private final int readCount;
  private final Duration blockTime;
  /** nsp -> handler of the entries of that namespace (on the delivery thread). */
  private final Map<String, BiConsumer<String, Map<String, String>>> handlers = new ConcurrentHashMap<>();
  /** stream -> id of the last entry read (reader thread only). */
  private final Map<String, String> lastRead = new LinkedHashMap<>();
  /** stream -> id of the last entry handled (written on the delivery thread). */
  private final Map<String, String> lastProcessed = new ConcurrentHashMap<>();
  private final RefCount refs = new RefCount();
  private final Thread loop;
  private volatile boolean running = true;

  private StreamLink(RedisClient client, List<String> streams, int readCount, Duration blockTime,
      ScheduledExecutorService delivery) {
    this.name = "parley-streams-" + COUNTER.incrementAndGet();
    this.streams = List.copyOf(streams);
    this.readCount = readCount;
    this.blockTime = blockTime;
    this.delivery = delivery;
    this.commands = client.connect(io.lettuce.core.codec.StringCodec.UTF8);
    try {
      this.reader = client.connect(io.lettuce.core.codec.StringCodec.UTF8);
    } catch (RuntimeException e) {
      commands.closeAsync();
      throw e;
    }
    for (String s : this.streams) {
      List<StreamMessage<String, String>> last = commands.sync().xrevrange(s, Range.unbounded(), Limit.from(1));
      String id = last.isEmpty() ? "0-0" : last.get(0).getId();
      lastRead.put(s, id);
      lastProcessed.put(s, id);
    }
    this.loop = Thread.ofPlatform().daemon().name(name + "-xread").unstarted(this::readLoop);
  }

  /** Opens the connections (blocking) and starts reading, with one reference held by the caller. */
  public static StreamLink open(RedisClient client, List<String> streams, int readCount, Duration blockTime,
      ScheduledExecutorService delivery) {
    StreamLink link = new StreamLink(client, streams, readCount, blockTime, delivery);
    link.loop.start();
    return link;
  }

  public boolean retain() {
    return refs.retain();
  }

  /** Drops a reference; the last one stops the loop and closes the connections. */
  public boolean release() {
    if (!refs.release()) {
      return false;
    }
    running = false;
    reader.closeAsync(); // fails the pending XREAD, which ends the loop
    if (!(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread)) {
      // Commands run in order: once a PING is answered, the sessions kept by the sockets the
      // server just closed ("server shutting down") are written, for another server to recover.
      try {
        commands.async().ping().get(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.debug("{}: ping before closing: {}", name, e.toString());
      }
    }
    commands.closeAsync();
    log.debug("{}: closed", name);
    return true;
  }

  /** Whether the command and reading connections are open now (Lettuce reconnects them when they drop). */
  public boolean connected() {
    return commands.isOpen() && reader.isOpen();
  }

  /** Handles the entries of namespace {@code nsp}: {@code (entry id, fields)}, on the delivery thread. */
  public void register(String nsp, BiConsumer<String, Map<String, String>> handler) {
    handlers.put(nsp, handler);
  }

  public void unregister(String nsp) {
    handlers.remove(nsp);
  }

  public RedisAsyncCommands<String, String> async() {
    return commands.async();
  }

  /** Blocking commands: only for the delivery thread's short reads (XRANGE of a recovery). */
  public RedisCommands<String, String> sync() {
    return commands.sync();
  }

  public ScheduledExecutorService delivery() {
    return delivery;
  }

  /** The id of the last entry of {@code stream} the delivery thread handled. */
  public String lastProcessed(String stream) {
    return lastProcessed.getOrDefault(stream, "0-0");
  }

  /** Orders two entry ids ({@code ms-seq}). */
  public static int compareIds(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int c = Long.compare(Long.parseLong(a, 0, da, 10), Long.parseLong(b, 0, db, 10));
    return c != 0 ? c : Long.compare(Long.parseLong(a, da + 1, a.length(), 10),
        Long.parseLong(b, db + 1, b.length(), 10));
  }

  private void readLoop() {
    long backoff = 100;
    while (running) {
      try {
        @SuppressWarnings("unchecked") // a generic array: StreamOffset<String>[] cannot be created directly
        XReadArgs.StreamOffset<String>[] offsets = (XReadArgs.StreamOffset<String>[]) new XReadArgs.StreamOffset<?>[streams.size()];
        int i = 0;
        for (Map.Entry<String, String> e : lastRead.entrySet()) {
          offsets[i++] = XReadArgs.StreamOffset.from(e.getKey(), e.getValue());
        }
        List<StreamMessage<String, String>> batch =
            reader.sync().xread(XReadArgs.Builder.block(blockTime).count(readCount), offsets);
        backoff = 100;
        if (batch == null || batch.isEmpty()) {
          continue;
        }
        for (StreamMessage<String, String> m : batch) {
          lastRead.put(m.getStream(), m.getId());
        }
        List<StreamMessage<String, String>> entries = new ArrayList<>(batch);
        try {
          delivery.execute(() -> process(entries));
        } catch (RejectedExecutionException closing) {
          return;
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("{}: reading the stream failed ({}); retrying from the last entry read", name, e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  private void process(List<StreamMessage<String, String>> entries) {
    for (StreamMessage<String, String> m : entries) {
      lastProcessed.put(m.getStream(), m.getId());
      Map<String, String> body = m.getBody();
      String nsp = body.get("nsp");
      BiConsumer<String, Map<String, String>> h = nsp == null ? null : handlers.get(nsp);
      if (h != null) {
        try {
          h.accept(m.getId(), body);
        } catch (RuntimeException e) {
          log.warn("{}: handling entry {} failed", name, m.getId(), e);
        }
      }
    }
  }

  public String name() {
    return name;
  }
}
