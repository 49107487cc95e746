package io.parley.server.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Copy-on-write steps for listener lists kept as immutable values in volatile fields: readers
 * iterate without a lock, writers (rare, under their owner's lock) publish a new list. Unlike a
 * {@code CopyOnWriteArrayList}, an empty list costs nothing per owner.
 */
public final class CopyOnWrite {
  private CopyOnWrite() {
  }

  public static <T> List<T> plus(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return List.copyOf(copy);
  }

  public static <T> List<T> minus(List<T> list, Object item) {
    List<T> copy = new ArrayList<>(list);
    copy.remove(item);
    return List.copyOf(copy);
  }
}
