package io.parley.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code parley.*} in {@code application.properties}/{@code .yml}: where Socket.IO is mounted on
 * the application's port and its Engine.IO options. Defaults are socket.io's.
 *
 * <pre>
 * parley.path=/socket.io/
 * parley.ping-interval=25s
 * parley.cors.allowed-origins=https://app.example
 * </pre>
 */
@ConfigurationProperties(prefix = "parley")
public class ParleyProperties {
  /** Where the Socket.IO endpoint is mounted (the servlet maps {@code path + "*"}). */
  private String path = "/socket.io/";
  /** How often the server pings each client. */
  private Duration pingInterval = Duration.ofSeconds(25);
  /** How long it waits for the pong before the connection is closed ({@code ping timeout}). */
  private Duration pingTimeout = Duration.ofSeconds(20);
  /** How long a polling to WebSocket upgrade may take. */
  private Duration upgradeTimeout = Duration.ofSeconds(10);
  /** The largest polling body or WebSocket message accepted, in bytes. */
  private int maxHttpBufferSize = 1_000_000;
  /** The transports offered: {@code polling} and/or {@code websocket}. */
  private List<String> transports = new ArrayList<>(List.of("polling", "websocket"));
  /** How long a connection may stay without joining a namespace. */
  private Duration connectTimeout = Duration.ofSeconds(45);
  /** Cross-origin access for browsers on other origins (none by default). */
  private final Cors cors = new Cors();

  /** {@code parley.cors.*}. */
  public static class Cors {
    /** Origins allowed to connect ({@code *} for any); empty: same-origin pages only. */
    private List<String> allowedOrigins = new ArrayList<>();
    /** Whether cookies and credentials may be sent cross-origin (never with {@code *}). */
    private boolean allowCredentials;

    public List<String> getAllowedOrigins() {
      return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
    }

    public boolean isAllowCredentials() {
      return allowCredentials;
    }

    public void setAllowCredentials(boolean allowCredentials) {
      this.allowCredentials = allowCredentials;
    }
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Duration getPingInterval() {
    return pingInterval;
  }

  public void setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
  }

  public Duration getPingTimeout() {
    return pingTimeout;
  }

  public void setPingTimeout(Duration pingTimeout) {
    this.pingTimeout = pingTimeout;
  }

  public Duration getUpgradeTimeout() {
    return upgradeTimeout;
  }

  public void setUpgradeTimeout(Duration upgradeTimeout) {
    this.upgradeTimeout = upgradeTimeout;
  }

  public int getMaxHttpBufferSize() {
    return maxHttpBufferSize;
  }

  public void setMaxHttpBufferSize(int maxHttpBufferSize) {
    this.maxHttpBufferSize = maxHttpBufferSize;
  }

  public List<String> getTransports() {
    return transports;
  }

  public void setTransports(List<String> transports) {
    this.transports = transports;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Cors getCors() {
    return cors;
  }
}
