package io.parley.server.recovery;

import io.parley.server.internal.ServerInternals;
import io.parley.server.Namespace;
import io.parley.server.SocketIoServer;
import io.parley.server.adapter.BroadcastOptions;
import io.parley.protocol.EncodedPacket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The default {@link RecoveryStore}: the packets of one namespace in a ring, the sessions in a map,
 * all in this JVM. Memory is bounded three ways, whichever comes first: packets older than
 * {@code maxDisconnectionDuration} are dropped, and so are the oldest packets beyond
 * {@code maxPackets} or beyond {@code maxBytes} of encoded packet bytes (text frame plus binary
 * attachments); sessions expire after {@code maxDisconnectionDuration} and the oldest go beyond
 * {@code maxSessions}. A client whose offset was dropped is not recovered: it gets a new session.
 * Expired entries are also swept by a timer, so an idle namespace does not keep them.
 *
 * <p>Offsets are a random prefix of this store and a sequence number ({@code "k3Xz9Q.1f"}); an offset
 * of another store or another run is simply unknown. Thread-safe.
 */
public final class InMemoryRecoveryStore implements RecoveryStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  private record Entry(long seq, EncodedPacket packet, BroadcastOptions opts, long at, long bytes) {}

  private record Kept(Session session, long at) {}

  private final String prefix;
  private final long window;
  private final int maxPackets;
  private final long maxBytes;
  private final int maxSessions;
  private final LongSupplier clock;
  private final ScheduledFuture<?> sweeper;

  private Entry[] ring = new Entry[16];
  private int head;
  private int size;
  private long bytes;
  private long nextSeq;
  private final LinkedHashMap<String, Kept> sessions = new LinkedHashMap<>();

  /**
   * The store of {@code nsp}, with the server's recovery options, their {@link RecoveryOptions#clock
   * clock}, and a sweeping timer.
   */
  public InMemoryRecoveryStore(Namespace nsp) {
    this(options(nsp), options(nsp).clock()::millis, nsp.server());
  }

  /** A store with these limits and clock (milliseconds) and no timer: expiry happens on each call. */
  public InMemoryRecoveryStore(RecoveryOptions options, LongSupplier clockMillis) {
    this(options, clockMillis, null);
  }

  private InMemoryRecoveryStore(RecoveryOptions options, LongSupplier clock, SocketIoServer server) {
    StringBuilder p = new StringBuilder(7);
    for (int i = 0; i < 6; i++) {
      p.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    this.prefix = p.append('.').toString();
    this.window = options.maxDisconnectionDuration().toMillis();
    this.maxPackets = options.maxPackets();
    this.maxBytes = options.maxBytes();
    this.maxSessions = options.maxSessions();
    this.clock = clock;
    ScheduledFuture<?> timer = null;
    if (server != null) {
      long every = Math.max(1000, Math.min(window, 60_000));
      try {
        timer = ServerInternals.get().scheduler(server).scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // the server is closing: expiry still happens on each call
      }
    }
    this.sweeper = timer;
  }

  private static RecoveryOptions options(Namespace nsp) {
    RecoveryOptions o = nsp.server().options().connectionStateRecovery();
    return o == null ? RecoveryOptions.DEFAULT : o;
  }

  // ---- packets ----

  @Override
  public synchronized String nextOffset() {
    return prefix + Long.toString(nextSeq++, 36);
  }

  private long seqOf(String offset) {
    if (offset == null || !offset.startsWith(prefix) || offset.length() == prefix.length()) {
      return -1;
    }
    try {
      return Long.parseLong(offset, prefix.length(), offset.length(), 36);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public synchronized void add(String offset, EncodedPacket packet, BroadcastOptions opts) {
    long seq = seqOf(offset);
    if (seq < 0) {
      throw new IllegalArgumentException("not an offset of this store: " + offset);
    }
    long n = packet.text().length;
    for (byte[] a : packet.attachments()) {
      n += a.length;
    }
    if (size == ring.length) {
      grow();
    }
    ring[(head + size) % ring.length] = new Entry(seq, packet, opts, clock.getAsLong(), n);
    size++;
    bytes += n;
    evict(clock.getAsLong());
  }

  private void grow() {
    Entry[] bigger = new Entry[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) % ring.length];
    }
    ring = bigger;
    head = 0;
  }

  private Entry at(int i) {
    return ring[(head + i) % ring.length];
  }

  private void evict(long now) {
    while (size > 0) {
      Entry e = ring[head];
      if (size <= maxPackets && bytes <= maxBytes && now - e.at() <= window) {
        break;
      }
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
      bytes -= e.bytes();
    }
    if (size == 0) {
      head = 0;
    }
    if (ring.length > 64 && size < ring.length / 4) {
      // give back what a burst made the ring grow to
      Entry[] smaller = new Entry[Math.max(16, ring.length / 2)];
      for (int i = 0; i < size; i++) {
        smaller[i] = at(i);
      }
      ring = smaller;
      head = 0;
    }
  }

  /** Index of the entry with {@code seq}, or -1 (entries are sorted by seq). */
  private int indexOf(long seq) {
    if (seq < 0) {
      return -1;
    }
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long s = at(mid).seq();
      if (s < seq) {
        lo = mid + 1;
      } else if (s > seq) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  @Override
  public synchronized List<EncodedPacket> missedSince(String offset, Set<String> rooms) {
    evict(clock.getAsLong());
    int i = indexOf(seqOf(offset));
    if (i < 0) {
      return null;
    }
    List<EncodedPacket> out = new ArrayList<>();
    for (int j = i + 1; j < size; j++) {
      Entry e = at(j);
      if (e.opts().reaches(rooms)) {
        out.add(e.packet());
      }
    }
    return out;
  }

  // ---- sessions ----

  @Override
  public synchronized void persist(Session session) {
    long now = clock.getAsLong();
    sessions.remove(session.pid());
    sessions.put(session.pid(), new Kept(session, now));
    expireSessions(now);
  }

  private void expireSessions(long now) {
    Iterator<Map.Entry<String, Kept>> it = sessions.entrySet().iterator();
    while (it.hasNext()) {
      Kept k = it.next().getValue();
      if (sessions.size() > maxSessions || now - k.at() > window) {
        it.remove();
      } else {
        break; // insertion order is age order
      }
    }
  }

  @Override
  public synchronized Session take(String pid, String offset) {
    long now = clock.getAsLong();
    Kept k = sessions.remove(pid);
    if (k == null || now - k.at() > window) {
      return null;
    }
    evict(now);
    return indexOf(seqOf(offset)) < 0 ? null : k.session();
  }

  /** Drops what expired; run by the timer. */
  public synchronized void sweep() {
    long now = clock.getAsLong();
    evict(now);
    expireSessions(now);
  }

  // ---- monitoring ----

  /** Packets kept now. */
  public synchronized int packetCount() {
    return size;
  }

  /** Encoded bytes of the packets kept now. */
  public synchronized long byteCount() {
    return bytes;
  }

  /** Sessions kept now. */
  public synchronized int sessionCount() {
    return sessions.size();
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    synchronized (this) {
      sessions.clear();
      ring = new Entry[16];
      head = 0;
      size = 0;
      bytes = 0;
    }
  }
}
