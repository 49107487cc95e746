package io.parley.netty.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock that moves only when the test moves it, for what judges time by an injected
 * {@link InstantSource} (such as {@code RecoveryOptions.clock}): a test goes past a window by
 * {@link #advance advancing} it instead of sleeping through it. Starts at the current instant, so
 * times written with it look real; thread-safe.
 */
public final class TestClock implements InstantSource {
  private volatile Instant now = Instant.now();

  @Override
  public Instant instant() {
    return now;
  }

  /** Moves the clock forward by {@code d}. */
  public synchronized void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + d);
    }
    now = now.plus(d);
  }
}
