package io.parley.server;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a socket or an Engine.IO connection ended, with the reference server's exact strings
 * ({@link #text()}, also {@link #toString()}), as socket.io's {@code disconnect} event reports them.
 *
 * <pre>{@code
 * socket.onDisconnect(reason -> {
 *   if (reason == DisconnectReason.PING_TIMEOUT) log.info("{} went quiet", socket.id());
 * });
 * }</pre>
 */
public enum DisconnectReason {
  /** The connection broke (a failed request, a reset socket, a second concurrent poll). */
  TRANSPORT_ERROR("transport error"),
  /** The client closed the connection (a closed tab, {@code socket.disconnect()} on its last namespace). */
  TRANSPORT_CLOSE("transport close"),
  /** The server closed the Engine.IO connection. */
  FORCED_CLOSE("forced close"),
  /** The client did not answer a ping within {@code pingTimeout}. */
  PING_TIMEOUT("ping timeout"),
  /** The client sent something that is not a valid packet. */
  PARSE_ERROR("parse error"),
  /** The server is stopping. */
  SERVER_SHUTTING_DOWN("server shutting down"),
  /**
   * The reference's reason for its own Engine.IO connection after {@code disconnect(true)}; listed
   * for completeness, Parley does not report it (a socket disconnected with {@code disconnect(true)}
   * gets {@link #SERVER_NAMESPACE_DISCONNECT}, its connection {@link #FORCED_CLOSE}).
   */
  FORCED_SERVER_CLOSE("forced server close"),
  /** The client left the namespace. */
  CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
  /** The server removed the socket from the namespace ({@code disconnect()}). */
  SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
  /** Parley's own: the client read too slowly and its outbound queue passed {@code maxBufferedBytes}. */
  SLOW_CLIENT("slow client"),
  /** Parley's own: the client sent events faster than {@code eventRateLimit} allows (action DISCONNECT). */
  TOO_MANY_EVENTS("too many events");

  private final String text;

  DisconnectReason(String text) {
    this.text = text;
  }

  /** The reference's string for this reason ({@code "transport close"}, ...). */
  @JsonValue
  public String text() {
    return text;
  }

  /**
   * Whether a socket that ended this way may be recovered by connection state recovery: the
   * connection was lost, not ended on purpose by either side.
   */
  public boolean recoverable() {
    return switch (this) {
      case TRANSPORT_ERROR, TRANSPORT_CLOSE, FORCED_CLOSE, PING_TIMEOUT, SERVER_SHUTTING_DOWN, FORCED_SERVER_CLOSE -> true;
      case PARSE_ERROR, CLIENT_NAMESPACE_DISCONNECT, SERVER_NAMESPACE_DISCONNECT, SLOW_CLIENT, TOO_MANY_EVENTS -> false;
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
