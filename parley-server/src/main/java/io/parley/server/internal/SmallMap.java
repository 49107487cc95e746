package io.parley.server.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;

/**
 * An immutable map of a few entries kept as one array of keys and values, looked up by a linear
 * scan. Maps that every connection holds for its whole life (handshake headers and query, a
 * socket's listener table) are small; {@code Map.copyOf} would spend a hash table twice their
 * size plus an object on each. Beyond {@link #MAX_LINEAR} entries, {@link #copyOf} returns
 * {@code Map.copyOf}'s map, whose lookups do not grow with the size. Null keys and values are
 * refused, and a lookup of a null key throws, as with {@code Map.copyOf}.
 */
public final class SmallMap<K, V> extends AbstractMap<K, V> {
  /** The largest map kept as a linear array. */
  public static final int MAX_LINEAR = 8;

  private final Object[] keysAndValues;

  private SmallMap(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /** An immutable copy of {@code map}: this class up to {@link #MAX_LINEAR} entries, else {@code Map.copyOf}. */
  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> map) {
    if (map instanceof SmallMap<?, ?> small) {
      return (Map<K, V>) small;
    }
    int n = map.size();
    if (n == 0) {
      return Map.of();
    }
    if (n > MAX_LINEAR) {
      return Map.copyOf(map);
    }
    Object[] kv = new Object[2 * n];
    int i = 0;
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      kv[i++] = Objects.requireNonNull(e.getKey(), "key");
      kv[i++] = Objects.requireNonNull(e.getValue(), "value");
    }
    if (i != kv.length) { // the map changed while copied
      throw new java.util.ConcurrentModificationException();
    }
    return new SmallMap<>(kv);
  }

  /**
   * {@code map} with {@code key} set to {@code value}, or to {@code merge(old, value)} when the key
   * is present, as an immutable map of the same kinds as {@link #copyOf}; {@code map} is not
   * changed. From a small map, one array copy with no intermediate map (a socket's listener table
   * is built this way, one {@code on} at a time, for every connection).
   */
  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> with(Map<K, V> map, K key, V value, BinaryOperator<V> merge) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Object[] kv = map instanceof SmallMap<?, ?> small ? small.keysAndValues : map.isEmpty() ? NO_ENTRIES : null;
    if (kv != null) {
      int i = indexOf(kv, key);
      if (i >= 0) {
        Object[] merged = kv.clone();
        merged[i + 1] = Objects.requireNonNull(merge.apply((V) kv[i + 1], value), "value");
        return new SmallMap<>(merged);
      }
      if (kv.length / 2 < MAX_LINEAR) {
        Object[] grown = Arrays.copyOf(kv, kv.length + 2);
        grown[kv.length] = key;
        grown[kv.length + 1] = value;
        return new SmallMap<>(grown);
      }
    }
    Map<K, V> m = new HashMap<>(map); // a large map, or one of another kind
    m.merge(key, value, merge);
    return copyOf(m);
  }

  private static final Object[] NO_ENTRIES = new Object[0];

  private int indexOf(Object key) {
    return indexOf(keysAndValues, key);
  }

  private static int indexOf(Object[] kv, Object key) {
    Objects.requireNonNull(key, "key"); // as Map.copyOf's maps
    for (int i = 0; i < kv.length; i += 2) {
      if (key.equals(kv[i])) { // String.equals tests identity first
        return i;
      }
    }
    return -1;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : (V) keysAndValues[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  @Override
  public V remove(Object key) {
    throw new UnsupportedOperationException("immutable");
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("immutable");
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super K, ? super V> action) {
    Object[] kv = keysAndValues;
    for (int i = 0; i < kv.length; i += 2) {
      action.accept((K) kv[i], (V) kv[i + 1]);
    }
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < keysAndValues.length;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<K, V> next() {
            if (i >= keysAndValues.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<K, V> e = Map.entry((K) keysAndValues[i], (V) keysAndValues[i + 1]);
            i += 2;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return keysAndValues.length / 2;
      }
    };
  }
}
