package io.parley.server.internal;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code capacity} kept. Used for
 * event and handshake rate limits. Thread-safe; meant for event-loop threads (it never blocks).
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, double capacity) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.last = System.nanoTime();
  }

  /** Takes one token if there is one. */
  public synchronized boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether the bucket has been full long enough to be forgotten. */
  public synchronized boolean idle() {
    return tokens + (System.nanoTime() - last) * ratePerNano >= capacity;
  }
}
