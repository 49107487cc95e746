package io.parley.server;

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
    private RecoveryOptions connectionStateRecovery;

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

    public ServerOptions build() {
      return new ServerOptions(connectTimeout, maxAttachments, mapper, adapterFactory, cleanupEmptyChildNamespaces,
          shutdownTimeout, connectionStateRecovery);
    }
  }
}
