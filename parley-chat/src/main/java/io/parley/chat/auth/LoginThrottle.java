package io.parley.chat.auth;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Slows password guessing: after {@code maxPerAccount} failed logins for one username, or
 * {@code maxPerAddress} from one client address, within {@code window}, further attempts are
 * refused (429) until the oldest failure leaves the window. A successful login clears the
 * account's failures. Memory stays bounded: idle entries are dropped when the maps grow.
 */
public final class LoginThrottle {
  private final int maxPerAccount;
  private final int maxPerAddress;
  private final long windowNanos;
  private final Map<String, Deque<Long>> accounts = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> addresses = new ConcurrentHashMap<>();

  public LoginThrottle(int maxPerAccount, int maxPerAddress, Duration window) {
    this.maxPerAccount = maxPerAccount;
    this.maxPerAddress = maxPerAddress;
    this.windowNanos = window.toNanos();
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  public long retryAfterSeconds(String username, String address) {
    long now = System.nanoTime();
    long wait = Math.max(wait(accounts.get(key(username)), maxPerAccount, now),
        wait(addresses.get(address), maxPerAddress, now));
    return wait == 0 ? 0 : Math.max(1, wait / 1_000_000_000L);
  }

  public void failed(String username, String address) {
    long now = System.nanoTime();
    record(accounts, key(username), now);
    record(addresses, address, now);
  }

  public void succeeded(String username) {
    accounts.remove(key(username));
  }

  private static String key(String username) {
    return username.toLowerCase(java.util.Locale.ROOT);
  }

  private long wait(Deque<Long> failures, int max, long now) {
    if (failures == null) {
      return 0;
    }
    prune(failures, now);
    Long oldest = failures.peekFirst();
    return oldest == null || failures.size() < max ? 0 : Math.max(0, oldest + windowNanos - now);
  }

  private void record(Map<String, Deque<Long>> map, String key, long now) {
    if (map.size() > 50_000) {
      map.values().removeIf(d -> {
        prune(d, now);
        return d.isEmpty();
      });
    }
    Deque<Long> d = map.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
    prune(d, now);
    d.addLast(now);
    while (d.size() > 1000) {
      d.pollFirst();
    }
  }

  private void prune(Deque<Long> d, long now) {
    Long first;
    while ((first = d.peekFirst()) != null && now - first > windowNanos) {
      d.pollFirst();
    }
  }
}
