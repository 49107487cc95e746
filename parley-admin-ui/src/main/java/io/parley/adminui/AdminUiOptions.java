package io.parley.adminui;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link AdminUi#instrument}, as the reference's {@code instrument(io, {...})}:
 *
 * <ul>
 *   <li>{@code namespace} ({@code /admin}): the namespace the UI connects to;
 *   <li>{@code auth} (required): {@link AdminAuth#basic}, {@link AdminAuth#plain}, a custom check,
 *       or explicitly {@link AdminAuth#none()};
 *   <li>{@code readonly} (false): the UI may look but not disconnect, join, leave or emit;
 *   <li>{@code serverId} (the host name): how this server is named in the UI (give each node of a
 *       cluster its own);
 *   <li>{@code mode} ({@link Mode#DEVELOPMENT}): {@link Mode#PRODUCTION} sends only the server
 *       statistics and aggregated counts, not every socket, room and event;
 *   <li>{@code statsInterval} (2 s): how often {@code server_stats} goes out;
 *   <li>{@code sessionDuration} (24 h): how long a session id handed to the UI lets it reconnect
 *       without credentials.
 * </ul>
 *
 * <pre>{@code
 * AdminUiOptions options = AdminUiOptions.builder()
 *     .auth(AdminAuth.basic("admin", bcryptHash))
 *     .mode(AdminUiOptions.Mode.PRODUCTION)
 *     .serverId("node-" + nodeIndex)
 *     .build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class AdminUiOptions {
  /** What the UI is sent, as the reference's {@code mode}. */
  public enum Mode {
    /** Sockets, rooms and every event, as they happen (costs a listener on every socket). */
    DEVELOPMENT,
    /** Server statistics and aggregated counts only. */
    PRODUCTION
  }

  private final String namespace;
  private final AdminAuth auth;
  private final boolean readonly;
  private final String serverId;
  private final Mode mode;
  private final Duration statsInterval;
  private final Duration sessionDuration;

  private AdminUiOptions(Builder b) {
    this.namespace = b.namespace.startsWith("/") ? b.namespace : "/" + b.namespace;
    this.auth = b.auth;
    this.readonly = b.readonly;
    this.serverId = b.serverId;
    this.mode = b.mode;
    this.statsInterval = b.statsInterval;
    this.sessionDuration = b.sessionDuration;
  }

  /** A builder with the defaults; {@code auth} has none and must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The namespace the UI connects to, with its leading slash. */
  public String namespace() {
    return namespace;
  }

  /** How the UI's credentials are checked. */
  public AdminAuth auth() {
    return auth;
  }

  /** Whether the UI may only look (no disconnect, join, leave or emit). */
  public boolean readonly() {
    return readonly;
  }

  /** How this server is named in the UI; null means the host name. */
  public String serverId() {
    return serverId;
  }

  /** What the UI is sent. */
  public Mode mode() {
    return mode;
  }

  /** How often {@code server_stats} goes out. */
  public Duration statsInterval() {
    return statsInterval;
  }

  /** How long a session id handed to the UI lets it reconnect without credentials. */
  public Duration sessionDuration() {
    return sessionDuration;
  }

  /** Builds {@link AdminUiOptions}; each setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private String namespace = "/admin";
    private AdminAuth auth;
    private boolean readonly;
    private String serverId;
    private Mode mode = Mode.DEVELOPMENT;
    private Duration statsInterval = Duration.ofSeconds(2);
    private Duration sessionDuration = Duration.ofHours(24);

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    /**
     * The namespace the UI connects to ({@code /admin}); a missing leading slash is added.
     *
     * @param namespace the namespace name
     * @return this builder
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace);
      return this;
    }

    /**
     * How the UI's credentials are checked (required): {@link AdminAuth#basic}, {@link AdminAuth#plain},
     * a lambda, or {@link AdminAuth#none()}.
     *
     * @param auth the check, not null
     * @return this builder
     */
    public Builder auth(AdminAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth: use AdminAuth.none() to turn authentication off");
      return this;
    }

    /**
     * Whether the UI may only look (false).
     *
     * @param readonly true to refuse its commands
     * @return this builder
     */
    public Builder readonly(boolean readonly) {
      this.readonly = readonly;
      return this;
    }

    /**
     * How this server is named in the UI (the host name); give each node of a cluster its own.
     *
     * @param serverId the name, or null for the host name
     * @return this builder
     */
    public Builder serverId(String serverId) {
      this.serverId = serverId;
      return this;
    }

    /**
     * What the UI is sent ({@link Mode#DEVELOPMENT}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode);
      return this;
    }

    /**
     * How often {@code server_stats} goes out (2 s).
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder statsInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("statsInterval must be positive");
      }
      this.statsInterval = interval;
      return this;
    }

    /**
     * How long a session id handed to the UI lets it reconnect without credentials (24 h).
     *
     * @param duration the duration
     * @return this builder
     */
    public Builder sessionDuration(Duration duration) {
      this.sessionDuration = Objects.requireNonNull(duration);
      return this;
    }

    /**
     * The options.
     *
     * @return new options
     * @throws IllegalStateException when {@code auth} was not set
     */
    public AdminUiOptions build() {
      if (auth == null) {
        throw new IllegalStateException("the auth option must be set, or explicitly AdminAuth.none()");
      }
      return new AdminUiOptions(this);
    }
  }
}
