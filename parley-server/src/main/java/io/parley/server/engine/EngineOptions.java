package io.parley.server.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one Engine.IO endpoint. Defaults equal the reference server's (engine.io 6).
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

  public static final EngineOptions DEFAULT = builder().build();

  /** Decides on a handshake: return null to accept, or the reason to refuse it. */
  @FunctionalInterface
  public interface AllowRequest {
    String check(RequestInfo request);
  }

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

  public static Builder builder() {
    return new Builder();
  }

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

    public Builder path(String p) {
      this.path = p;
      return this;
    }

    public Builder pingInterval(Duration d) {
      this.pingInterval = d;
      return this;
    }

    public Builder pingTimeout(Duration d) {
      this.pingTimeout = d;
      return this;
    }

    public Builder upgradeTimeout(Duration d) {
      this.upgradeTimeout = d;
      return this;
    }

    public Builder maxHttpBufferSize(int n) {
      this.maxHttpBufferSize = n;
      return this;
    }

    public Builder transports(String... t) {
      this.transports = Set.of(t);
      return this;
    }

    public Builder allowUpgrades(boolean b) {
      this.allowUpgrades = b;
      return this;
    }

    public Builder cors(CorsOptions c) {
      this.cors = c;
      return this;
    }

    public Builder allowRequest(AllowRequest a) {
      this.allowRequest = a;
      return this;
    }

    public Builder maxBufferedBytes(int v) {
      this.maxBufferedBytes = v;
      return this;
    }

    public Builder handshakesPerSecondPerIp(double v) {
      this.handshakesPerSecondPerIp = v;
      return this;
    }

    public Builder limitLoopback(boolean v) {
      this.limitLoopback = v;
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize, transports,
          allowUpgrades, cors, allowRequest, maxBufferedBytes, handshakesPerSecondPerIp, limitLoopback);
    }
  }
}
