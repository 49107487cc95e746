package io.parley.server;

/** The reasons a socket can be disconnected, with the reference server's exact strings. */
public final class DisconnectReason {
  public static final String TRANSPORT_ERROR = "transport error";
  public static final String TRANSPORT_CLOSE = "transport close";
  public static final String FORCED_CLOSE = "forced close";
  public static final String PING_TIMEOUT = "ping timeout";
  public static final String PARSE_ERROR = "parse error";
  public static final String SERVER_SHUTTING_DOWN = "server shutting down";
  public static final String FORCED_SERVER_CLOSE = "forced server close";
  public static final String CLIENT_NAMESPACE_DISCONNECT = "client namespace disconnect";
  public static final String SERVER_NAMESPACE_DISCONNECT = "server namespace disconnect";
  /** Parley's own: the client read too slowly and its outbound queue passed {@code maxBufferedBytes}. */
  public static final String SLOW_CLIENT = "slow client";
  /** Parley's own: the client sent events faster than {@code eventRateLimit} allows (action DISCONNECT). */
  public static final String TOO_MANY_EVENTS = "too many events";

  private DisconnectReason() {}
}
