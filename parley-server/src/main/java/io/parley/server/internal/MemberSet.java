package io.parley.server.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sets of the adapter's room tables ({@code room -> socket ids}, {@code socket id -> rooms}),
 * updated only inside {@code ConcurrentHashMap.compute} of their table and read without a lock.
 * Most are tiny (a socket's own room, the rooms of one socket), so a set starts as an immutable
 * value replaced on each change (a one-element set costs 24 bytes, a concurrent set about 200)
 * and becomes a concurrent set, changed in place, once it holds more than {@link #SMALL}.
 */
public final class MemberSet {
  static final int SMALL = 8;

  private MemberSet() {
  }

  /** {@code set} (null when absent) with {@code item}; the value to store back. */
  public static Set<String> with(Set<String> set, String item) {
    if (set == null) {
      return Set.of(item);
    }
    if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
      set.add(item);
      return set;
    }
    if (set.contains(item)) {
      return set;
    }
    if (set.size() < SMALL) {
      String[] items = set.toArray(new String[set.size() + 1]);
      items[items.length - 1] = item;
      return Set.of(items);
    }
    Set<String> big = ConcurrentHashMap.newKeySet();
    big.addAll(set);
    big.add(item);
    return big;
  }

  /** {@code set} without {@code item}; null when that leaves it empty (the entry is removed). */
  public static Set<String> without(Set<String> set, String item) {
    if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
      set.remove(item);
      return set.isEmpty() ? null : set;
    }
    if (!set.contains(item)) {
      return set;
    }
    if (set.size() == 1) {
      return null;
    }
    String[] items = new String[set.size() - 1];
    int i = 0;
    for (String s : set) {
      if (!s.equals(item)) {
        items[i++] = s;
      }
    }
    return Set.of(items);
  }
}
