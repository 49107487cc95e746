package io.parley.server;

import io.parley.server.adapter.Adapter;
import io.parley.server.recovery.RecoveryOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Options of the Socket.IO layer (the Engine.IO ones, such as the path and the ping interval, are
 * the binding's: {@code EngineOptions}). Defaults equal the reference server's, except for the limits
 * the reference does not have. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.builder()
 *     .connectTimeout(Duration.ofSeconds(10))
 *     .adapterFactory(RedisAdapters.classic(redisClient))     // parley-redis
 *     .connectionStateRecovery(RecoveryOptions.DEFAULT)
 *     .build();
 * ParleyServer server = ParleyServer.builder().server(options).build();
 * }</pre>
 *
 * @param connectTimeout how long a new connection may take to join a namespace before it is closed (45 s)
 * @param maxAttachments the most binary attachments one packet may declare (10)
 * @param mapper the Jackson mapper for payloads (records, maps, byte[] as binary)
 * @param adapterFactory creates the adapter of each namespace (in-memory by default)
 * @param cleanupEmptyChildNamespaces remove a dynamic namespace's child when its last socket leaves
 * @param shutdownTimeout how long {@code close()} waits for running handlers to finish (5 s)
 * @param maxPayloadDepth the deepest nesting of arrays/objects accepted in a payload (100)
 * @param maxNamespacesPerConnection namespaces one connection may join (50)
 * @param maxRoomsPerSocket rooms one socket may be in, its own included (1000)
 * @param eventRateLimit events a socket may send (token bucket; default 500/s, bursts of 1000, excess dropped; EventRateLimit.OFF)
 * @param metrics where Parley reports connections, events, broadcasts, acks, bytes and drops (none)
 * @param connectionStateRecovery connection state recovery, or null when off (the default: the
 *     official conformance suites expect it off)
 */
public record ServerOptions(
    Duration connectTimeout,
    int maxAttachments,
    ObjectMapper mapper,
    Function<Namespace, Adapter> adapterFactory,
    boolean cleanupEmptyChildNamespaces,
    Duration shutdownTimeout,
    int maxPayloadDepth,
    int maxNamespacesPerConnection,
    int maxRoomsPerSocket,
    EventRateLimit eventRateLimit,
    ServerMetrics metrics,
    RecoveryOptions connectionStateRecovery) {

  /** Every option at its default. */
  public static final ServerOptions DEFAULT = builder().build();

  /**
   * Checks the options; prefer {@link #builder()}.
   *
   * @throws NullPointerException when {@code connectTimeout}, {@code mapper}, {@code adapterFactory}
   *     or {@code shutdownTimeout} is null
   * @throws IllegalArgumentException when {@code maxAttachments} is negative
   */
  public ServerOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(adapterFactory, "adapterFactory");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (maxAttachments < 0) {
      throw new IllegalArgumentException("maxAttachments must be >= 0");
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.connectTimeout = connectTimeout;
    b.maxAttachments = maxAttachments;
    b.mapper = mapper;
    b.adapterFactory = adapterFactory;
    b.cleanupEmptyChildNamespaces = cleanupEmptyChildNamespaces;
    b.shutdownTimeout = shutdownTimeout;
    b.maxPayloadDepth = maxPayloadDepth;
    b.maxNamespacesPerConnection = maxNamespacesPerConnection;
    b.maxRoomsPerSocket = maxRoomsPerSocket;
    b.eventRateLimit = eventRateLimit;
    b.metrics = metrics;
    b.connectionStateRecovery = connectionStateRecovery;
    return b;
  }

  /** Builds {@link ServerOptions}; each setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(45);
    private int maxAttachments = 10;
    private ObjectMapper mapper = new ObjectMapper();
    private Function<Namespace, Adapter> adapterFactory = Adapter::new;
    private boolean cleanupEmptyChildNamespaces;
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int maxPayloadDepth = 100;
    private int maxNamespacesPerConnection = 50;
    private int maxRoomsPerSocket = 1000;
    private EventRateLimit eventRateLimit = EventRateLimit.DEFAULT;
    private ServerMetrics metrics = ServerMetrics.NONE;
    private RecoveryOptions connectionStateRecovery;

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    /**
     * Turns connection state recovery on with these options ({@link RecoveryOptions#DEFAULT}), or off
     * with null (the default), as socket.io's {@code connectionStateRecovery} option.
     *
     * @param o the recovery options, or null
     * @return this builder
     */
    public Builder connectionStateRecovery(RecoveryOptions o) {
      this.connectionStateRecovery = o;
      return this;
    }

    /**
     * How long {@code close()} waits, in all, for running handlers and then for the disconnect
     * listeners to finish (5 s).
     *
     * @param d the bound
     * @return this builder
     */
    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = d;
      return this;
    }

    /**
     * How long a new connection may take to join a namespace (its middlewares included) before it is
     * closed (45 s), as socket.io's {@code connectTimeout}.
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /**
     * The most binary attachments one incoming packet may declare (10); a packet declaring more closes
     * the connection as a parse error.
     *
     * @param n the limit, at least 0
     * @return this builder
     */
    public Builder maxAttachments(int n) {
      this.maxAttachments = n;
      return this;
    }

    /**
     * The Jackson mapper that serialises what is emitted and maps what is received
     * ({@code Args.get(i, type)}); a plain {@code new ObjectMapper()} by default. Register modules
     * (Java time, ...) on it before the server starts; it is used from many threads at once.
     *
     * @param m the mapper
     * @return this builder
     */
    public Builder mapper(ObjectMapper m) {
      this.mapper = m;
      return this;
    }

    /**
     * Creates the adapter of each namespace, as socket.io's {@code adapter} option: the in-memory
     * {@link Adapter} by default, or a cluster backend's factory (such as parley-redis's
     * {@code RedisAdapters}). Called once per namespace, when it is created.
     *
     * @param f the factory
     * @return this builder
     */
    public Builder adapterFactory(Function<Namespace, Adapter> f) {
      this.adapterFactory = f;
      return this;
    }

    /**
     * Whether a child of a dynamic namespace is removed (its adapter closed) when its last socket
     * leaves (false), as socket.io's {@code cleanupEmptyChildNamespaces}.
     *
     * @param b true to remove empty children
     * @return this builder
     */
    public Builder cleanupEmptyChildNamespaces(boolean b) {
      this.cleanupEmptyChildNamespaces = b;
      return this;
    }

    /**
     * The deepest nesting of arrays and objects accepted in an incoming payload (100); a deeper one
     * closes the connection as a parse error.
     *
     * @param v the limit
     * @return this builder
     */
    public Builder maxPayloadDepth(int v) {
      this.maxPayloadDepth = v;
      return this;
    }

    /**
     * How many namespaces one connection may join (50); a CONNECT past it gets CONNECT_ERROR.
     *
     * @param v the limit
     * @return this builder
     */
    public Builder maxNamespacesPerConnection(int v) {
      this.maxNamespacesPerConnection = v;
      return this;
    }

    /**
     * How many rooms one socket may be in, its own included (1000); {@code Socket.join} past it
     * throws {@link IllegalStateException}.
     *
     * @param v the limit
     * @return this builder
     */
    public Builder maxRoomsPerSocket(int v) {
      this.maxRoomsPerSocket = v;
      return this;
    }

    /**
     * How many events each socket may send ({@link EventRateLimit#DEFAULT}: 500/s, bursts of 1000,
     * excess dropped); {@link EventRateLimit#OFF} to allow any rate, as the reference does.
     *
     * @param v the limit
     * @return this builder
     */
    public Builder eventRateLimit(EventRateLimit v) {
      this.eventRateLimit = v;
      return this;
    }

    /**
     * Where the server reports its metrics ({@link ServerMetrics#NONE}); more sinks can be added
     * later with {@code SocketIoServer.addMetrics}.
     *
     * @param v the sink
     * @return this builder
     */
    public Builder metrics(ServerMetrics v) {
      this.metrics = v;
      return this;
    }

    /**
     * The options; throws as the record's constructor does when one is invalid.
     *
     * @return new options
     */
    public ServerOptions build() {
      return new ServerOptions(connectTimeout, maxAttachments, mapper, adapterFactory, cleanupEmptyChildNamespaces,
          shutdownTimeout, maxPayloadDepth, maxNamespacesPerConnection, maxRoomsPerSocket, eventRateLimit, metrics, connectionStateRecovery);
    }
  }
}
