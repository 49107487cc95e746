package io.parley.servlet;

import java.time.Duration;

/**
 * Polling answers handed to the container and not completed yet: what {@link ParleyServlet#close}
 * waits for (bounded), so that the close packets of a shutdown reach the wire before the
 * container stops its connectors.
 */
final class Answers {
  private int writing; // guarded by this

  synchronized void started() {
    writing++;
  }

  synchronized void done() {
    writing--;
    if (writing <= 0) {
      notifyAll();
    }
  }

  /** Waits until every answer started is done, or {@code max} has passed. */
  synchronized void await(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (writing > 0) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
