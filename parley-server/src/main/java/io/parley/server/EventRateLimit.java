package io.parley.server;

/**
 * How many events one socket may send: a token bucket refilled at {@code perSecond} holding at most
 * {@code burst} tokens. An event over the limit is dropped (its ack, if any, is never answered) or,
 * with {@link Action#DISCONNECT}, closes the connection. Checked on the connection's event loop,
 * before the event is queued. Parley's own: the reference has no such limit.
 *
 * <pre>{@code
 * ServerOptions.builder().eventRateLimit(new EventRateLimit(50, 100, EventRateLimit.Action.DISCONNECT));
 * }</pre>
 *
 * @param perSecond tokens added per second; 0 turns the limit off
 * @param burst the most tokens the bucket holds: how many events may come at once (at least 1 when on)
 * @param action what happens to an event over the limit
 */
public record EventRateLimit(double perSecond, double burst, Action action) {
  /** What happens to an event over the limit. */
  public enum Action {
    /** The event is dropped (and counted in {@code ServerMetrics.eventDropped}); the socket stays. */
    DROP,
    /** The whole connection is closed, its sockets with {@link DisconnectReason#TOO_MANY_EVENTS}. */
    DISCONNECT
  }

  /** 500 events per second with bursts of 1000; excess dropped. */
  public static final EventRateLimit DEFAULT = new EventRateLimit(500, 1000, Action.DROP);
  /** No limit (what the reference does). */
  public static final EventRateLimit OFF = new EventRateLimit(0, 0, Action.DROP);

  /**
   * Checks the limit.
   *
   * @throws IllegalArgumentException when a rate is negative, or the limit is on with a burst below 1
   */
  public EventRateLimit {
    if (perSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("rates must be >= 0");
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must allow at least one event");
    }
  }

  /** Whether the limit is on ({@code perSecond > 0}). */
  public boolean enabled() {
    return perSecond > 0;
  }
}
