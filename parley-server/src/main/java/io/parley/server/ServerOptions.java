package io.parley.server;

import io.parley.server.adapter.Adapter;
import io.parley.server.recovery.RecoveryOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Options of the Socket.IO layer. Defaults equal the reference server's.
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

  public static final ServerOptions DEFAULT = builder().build();

  public ServerOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(adapterFactory, "adapterFactory");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (maxAttachments < 0) {
      throw new IllegalArgumentException("maxAttachments must be >= 0");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

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

    /** Turns connection state recovery on with these options ({@link RecoveryOptions#DEFAULT}), or off with null. */
    public Builder connectionStateRecovery(RecoveryOptions o) {
      this.connectionStateRecovery = o;
      return this;
    }

    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = d;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder maxAttachments(int n) {
      this.maxAttachments = n;
      return this;
    }

    public Builder mapper(ObjectMapper m) {
      this.mapper = m;
      return this;
    }

    public Builder adapterFactory(Function<Namespace, Adapter> f) {
      this.adapterFactory = f;
      return this;
    }

    public Builder cleanupEmptyChildNamespaces(boolean b) {
      this.cleanupEmptyChildNamespaces = b;
      return this;
    }

    public Builder maxPayloadDepth(int v) {
      this.maxPayloadDepth = v;
      return this;
    }

    public Builder maxNamespacesPerConnection(int v) {
      this.maxNamespacesPerConnection = v;
      return this;
    }

    public Builder maxRoomsPerSocket(int v) {
      this.maxRoomsPerSocket = v;
      return this;
    }

    public Builder eventRateLimit(EventRateLimit v) {
      this.eventRateLimit = v;
      return this;
    }

    public Builder metrics(ServerMetrics v) {
      this.metrics = v;
      return this;
    }

    public ServerOptions build() {
      return new ServerOptions(connectTimeout, maxAttachments, mapper, adapterFactory, cleanupEmptyChildNamespaces,
          shutdownTimeout, maxPayloadDepth, maxNamespacesPerConnection, maxRoomsPerSocket, eventRateLimit, metrics, connectionStateRecovery);
    }
  }
}
