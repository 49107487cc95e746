package io.parley.server;

/**
 * How many events one socket may send: a token bucket refilled at {@code perSecond} holding at most
 * {@code burst} tokens. An event over the limit is dropped (its ack, if any, is never answered) or,
 * with {@link Action#DISCONNECT}, closes the connection.
 */
public record EventRateLimit(double perSecond, double burst, Action action) {
  public enum Action { DROP, DISCONNECT }

  /** 500 events per second with bursts of 1000; excess dropped. */
  public static final EventRateLimit DEFAULT = new EventRateLimit(500, 1000, Action.DROP);
  /** No limit (what the reference does). */
  public static final EventRateLimit OFF = new EventRateLimit(0, 0, Action.DROP);

  public EventRateLimit {
    if (perSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("rates must be >= 0");
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must allow at least one event");
    }
  }

  public boolean enabled() {
    return perSecond > 0;
  }
}
