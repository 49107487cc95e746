package io.parley.netty;

/**
 * Bounds on open TCP connections, checked when a connection is accepted (one over the limit is
 * closed at once). Per-address limits apply to the direct peer; loopback peers (a local reverse
 * proxy, a load generator) are exempt unless {@code limitLoopback}: put per-client limits on the
 * proxy in that case (nginx {@code limit_conn}).
 *
 * @param maxConnections open connections in total (100 000)
 * @param maxConnectionsPerIp open connections from one address (1 000)
 * @param limitLoopback apply the per-address limit to loopback peers too (false)
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, boolean limitLoopback) {
  /** 100 000 connections in total, 1 000 per address, loopback exempt. */
  public static final ConnectionLimits DEFAULT = new ConnectionLimits(100_000, 1_000, false);

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException when a limit is below 1
   */
  public ConnectionLimits {
    if (maxConnections < 1 || maxConnectionsPerIp < 1) {
      throw new IllegalArgumentException("connection limits must be >= 1");
    }
  }
}
