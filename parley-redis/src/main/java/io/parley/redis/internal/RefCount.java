package io.parley.redis.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * References to a shared link (one per adapter of a namespace): it starts with the opener's, and
 * once the count has dropped to zero it can never be taken again.
 */
final class RefCount {
  private final AtomicInteger refs = new AtomicInteger(1);

  /** Takes another reference; false when the last one was already dropped. */
  boolean retain() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; true for the last one. */
  boolean release() {
    return refs.decrementAndGet() == 0;
  }

  boolean released() {
    return refs.get() <= 0;
  }
}
