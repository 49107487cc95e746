package io.parley.server.recovery;

import io.parley.server.Namespace;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Function;

/**
 * Connection state recovery ({@code connectionStateRecovery} in socket.io 4.6+): a client whose
 * connection drops and comes back within {@link #maxDisconnectionDuration} gets back its socket id,
 * rooms and {@code data}, and every packet it missed. Off unless set on {@link io.parley.server.ServerOptions}.
 *
 * <p>With recovery on, the CONNECT reply carries a private session id ({@code pid}) and every
 * event sent without an ack and not volatile — broadcasts and {@code socket.emit} alike — carries
 * its offset as an extra last argument, which the official client strips and sends back on
 * reconnection. Packets are kept by the namespace's adapter; the in-memory adapter uses a
 * {@link RecoveryStore} made by {@link #store} (bounded by the limits below), a cluster adapter may
 * keep them elsewhere (the Redis Streams adapter keeps them in the stream).
 *
 * @param maxDisconnectionDuration how long a disconnected session and its packets are kept (2 min)
 * @param skipMiddlewares skip the connection middlewares when a session is recovered (true)
 * @param maxPackets the most packets the in-memory store keeps per namespace; the oldest go first (10 000)
 * @param maxBytes the most encoded packet bytes the in-memory store keeps per namespace (32 MiB)
 * @param maxSessions the most disconnected sessions the in-memory store keeps per namespace (100 000)
 * @param store makes the store of each namespace ({@link InMemoryRecoveryStore} by default)
 * @param clock the time against which {@code maxDisconnectionDuration} is judged: when a packet or a
 *     session of the in-memory store is too old, and when a session kept by a cluster adapter (the
 *     Redis Streams adapter) is too old to be restored ({@link InstantSource#system()}, the wall
 *     clock, as the reference's {@code Date.now()}); a test sets a clock it moves by hand to go past
 *     the window without waiting for it
 */
public record RecoveryOptions(
    Duration maxDisconnectionDuration,
    boolean skipMiddlewares,
    int maxPackets,
    long maxBytes,
    int maxSessions,
    Function<Namespace, RecoveryStore> store,
    InstantSource clock) {

  /** The reference's defaults: 2 minutes, middlewares skipped. */
  public static final RecoveryOptions DEFAULT = builder().build();

  public RecoveryOptions {
    Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
      throw new IllegalArgumentException("maxDisconnectionDuration must be positive");
    }
    if (maxPackets < 1 || maxBytes < 1 || maxSessions < 1) {
      throw new IllegalArgumentException("maxPackets, maxBytes and maxSessions must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Recovery with this window and the other defaults. */
  public static RecoveryOptions of(Duration maxDisconnectionDuration) {
    return builder().maxDisconnectionDuration(maxDisconnectionDuration).build();
  }

  /** These options with another clock (see {@link #clock}). */
  public RecoveryOptions withClock(InstantSource clock) {
    return toBuilder().clock(clock).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxDisconnectionDuration = maxDisconnectionDuration;
    b.skipMiddlewares = skipMiddlewares;
    b.maxPackets = maxPackets;
    b.maxBytes = maxBytes;
    b.maxSessions = maxSessions;
    b.store = store;
    b.clock = clock;
    return b;
  }

  public static final class Builder {
    private Duration maxDisconnectionDuration = Duration.ofMinutes(2);
    private boolean skipMiddlewares = true;
    private int maxPackets = 10_000;
    private long maxBytes = 32L * 1024 * 1024;
    private int maxSessions = 100_000;
    private Function<Namespace, RecoveryStore> store = InMemoryRecoveryStore::new;
    private InstantSource clock = InstantSource.system();

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    public Builder maxDisconnectionDuration(Duration d) {
      this.maxDisconnectionDuration = d;
      return this;
    }

    public Builder skipMiddlewares(boolean b) {
      this.skipMiddlewares = b;
      return this;
    }

    public Builder maxPackets(int n) {
      this.maxPackets = n;
      return this;
    }

    public Builder maxBytes(long n) {
      this.maxBytes = n;
      return this;
    }

    public Builder maxSessions(int n) {
      this.maxSessions = n;
      return this;
    }

    public Builder store(Function<Namespace, RecoveryStore> f) {
      this.store = f;
      return this;
    }

    /** The time the window is judged against (see {@link RecoveryOptions#clock}). */
    public Builder clock(InstantSource c) {
      this.clock = c;
      return this;
    }

    public RecoveryOptions build() {
      return new RecoveryOptions(maxDisconnectionDuration, skipMiddlewares, maxPackets, maxBytes, maxSessions, store,
          clock);
    }
  }
}
