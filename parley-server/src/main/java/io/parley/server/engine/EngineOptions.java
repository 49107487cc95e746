package io.parley.server.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one Engine.IO endpoint. Defaults equal the reference server's (engine.io 6), except for
 * the limits the reference does not have. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * EngineOptions engine = EngineOptions.builder()
 *     .pingInterval(Duration.ofSeconds(20))
 *     .cors(CorsOptions.origins("https://app.example.com").withCredentials(true))
 *     .allowRequest(req -> req.headers().containsKey("x-api-key") ? null : "missing API key")
 *     .build();
 * ParleyServer server = ParleyServer.builder().engine(engine).build();
 * }</pre>
 *
 * @param path where the endpoint is mounted ({@code /socket.io/})
 * @param pingInterval how often the server pings (25 s)
 * @param pingTimeout how long it waits for the pong (20 s)
 * @param upgradeTimeout how long a polling→websocket upgrade may take (10 s)
 * @param maxHttpBufferSize the largest polling body or WebSocket message accepted, in bytes (1e6);
 *     larger ones get 413 (polling) or close the WebSocket with 1009
 * @param transports the transports offered: {@code polling}, {@code websocket}
 * @param allowUpgrades whether a polling session may upgrade to websocket
 * @param cors cross-origin policy ({@link CorsOptions#NONE}: no CORS headers)
 * @param allowRequest decides whether a handshake is accepted; refusals get 403
 * @param maxBufferedBytes the most bytes queued for one connection before it is closed as a slow reader ("slow client"; 4 MiB)
 * @param handshakesPerSecondPerIp new sessions a client address may open per second, with bursts of twice that (20; 0: no limit; loopback exempt)
 * @param limitLoopback apply the per-address handshake rate to loopback peers too (false: a local proxy or load generator is exempt)
 */
public record EngineOptions(
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    Duration upgradeTimeout,
    int maxHttpBufferSize,
    Set<String> transports,
    boolean allowUpgrades,
    CorsOptions cors,
    AllowRequest allowRequest,
    int maxBufferedBytes,
    double handshakesPerSecondPerIp,
    boolean limitLoopback) {

  /** Every option at its default. */
  public static final EngineOptions DEFAULT = builder().build();

  /**
   * Decides on a handshake, as engine.io's {@code allowRequest}: return null to accept, or the reason
   * to refuse it (the client gets 403 with it as the message). Called on the connection's event loop
   * for each new session: must not block.
   */
  @FunctionalInterface
  public interface AllowRequest {
    /**
     * Checks the request of a new session.
     *
     * @param request the handshake request
     * @return null to accept, or the reason of the refusal (a thrown exception refuses with its message)
     */
    String check(RequestInfo request);
  }

  /**
   * Checks the options; a path without its trailing slash gets one.
   *
   * @throws IllegalArgumentException when the path does not start with {@code /}, or the transports
   *     are not {@code polling} and/or {@code websocket}
   */
  public EngineOptions {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /");
    }
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    transports = Set.copyOf(transports);
    if (transports.isEmpty() || !Set.of("polling", "websocket").containsAll(transports)) {
      throw new IllegalArgumentException("transports must be polling and/or websocket");
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.pingInterval = pingInterval;
    b.pingTimeout = pingTimeout;
    b.upgradeTimeout = upgradeTimeout;
    b.maxHttpBufferSize = maxHttpBufferSize;
    b.transports = transports;
    b.allowUpgrades = allowUpgrades;
    b.cors = cors;
    b.allowRequest = allowRequest;
    b.maxBufferedBytes = maxBufferedBytes;
    b.handshakesPerSecondPerIp = handshakesPerSecondPerIp;
    b.limitLoopback = limitLoopback;
    return b;
  }

  /** Builds {@link EngineOptions}; each setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private String path = "/socket.io/";
    private Duration pingInterval = Duration.ofSeconds(25);
    private Duration pingTimeout = Duration.ofSeconds(20);
    private Duration upgradeTimeout = Duration.ofSeconds(10);
    private int maxHttpBufferSize = 1_000_000;
    private Set<String> transports = Set.of("polling", "websocket");
    private boolean allowUpgrades = true;
    private CorsOptions cors = CorsOptions.NONE;
    private AllowRequest allowRequest = r -> null;
    private int maxBufferedBytes = 4 * 1024 * 1024;
    private double handshakesPerSecondPerIp = 20;
    private boolean limitLoopback = false;

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    /**
     * Where the endpoint is mounted ({@code /socket.io/}), as socket.io's {@code path}.
     *
     * @param p the path, starting with {@code /}
     * @return this builder
     */
    public Builder path(String p) {
      this.path = p;
      return this;
    }

    /**
     * How often the server pings each client (25 s), as engine.io's {@code pingInterval}.
     *
     * @param d the interval
     * @return this builder
     */
    public Builder pingInterval(Duration d) {
      this.pingInterval = d;
      return this;
    }

    /**
     * How long the server waits for the pong before closing with {@code ping timeout} (20 s), as
     * engine.io's {@code pingTimeout}.
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder pingTimeout(Duration d) {
      this.pingTimeout = d;
      return this;
    }

    /**
     * How long a polling-to-WebSocket upgrade may take before it is abandoned (10 s).
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder upgradeTimeout(Duration d) {
      this.upgradeTimeout = d;
      return this;
    }

    /**
     * The largest polling body or WebSocket message accepted, in bytes (1 000 000), as engine.io's
     * {@code maxHttpBufferSize}.
     *
     * @param n the limit
     * @return this builder
     */
    public Builder maxHttpBufferSize(int n) {
      this.maxHttpBufferSize = n;
      return this;
    }

    /**
     * The transports offered ({@code polling} and {@code websocket}).
     *
     * @param t {@code "polling"}, {@code "websocket"} or both
     * @return this builder
     */
    public Builder transports(String... t) {
      this.transports = Set.of(t);
      return this;
    }

    /**
     * Whether a polling session may upgrade to WebSocket (true).
     *
     * @param b false to keep every session on its first transport
     * @return this builder
     */
    public Builder allowUpgrades(boolean b) {
      this.allowUpgrades = b;
      return this;
    }

    /**
     * The cross-origin policy ({@link CorsOptions#NONE}: no CORS headers).
     *
     * @param c the policy
     * @return this builder
     */
    public Builder cors(CorsOptions c) {
      this.cors = c;
      return this;
    }

    /**
     * Decides on each handshake (every one accepted by default); see {@link AllowRequest}.
     *
     * @param a the check
     * @return this builder
     */
    public Builder allowRequest(AllowRequest a) {
      this.allowRequest = a;
      return this;
    }

    /**
     * The most bytes queued for one connection before it is closed as a slow reader (4 MiB).
     *
     * @param v the limit
     * @return this builder
     */
    public Builder maxBufferedBytes(int v) {
      this.maxBufferedBytes = v;
      return this;
    }

    /**
     * New sessions one client address may open per second, with bursts of twice that (20); 0 for no
     * limit. Refused handshakes get 429.
     *
     * @param v the rate
     * @return this builder
     */
    public Builder handshakesPerSecondPerIp(double v) {
      this.handshakesPerSecondPerIp = v;
      return this;
    }

    /**
     * Whether the per-address handshake rate applies to loopback peers too (false).
     *
     * @param v true to limit loopback clients
     * @return this builder
     */
    public Builder limitLoopback(boolean v) {
      this.limitLoopback = v;
      return this;
    }

    /**
     * The options; throws as the record's constructor does when one is invalid.
     *
     * @return new options
     */
    public EngineOptions build() {
      return new EngineOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
          allowUpgrades, cors, allowRequest, maxBufferedBytes, handshakesPerSecondPerIp, limitLoopback);
    }
  }
}
