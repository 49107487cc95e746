package io.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The small immutable map behind handshake headers, queries and listener tables: a Map like Map.copyOf's. */
@Timeout(10)
class SmallMapTest {
  private static Map<String, String> sized(int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("key-" + i, "value-" + i);
    }
    return m;
  }

  @Test
  void behavesAsTheMapItCopies() {
    for (int n = 0; n <= SmallMap.MAX_LINEAR + 3; n++) {
      Map<String, String> source = sized(n);
      Map<String, String> copy = SmallMap.copyOf(source);
      assertThat(copy).isEqualTo(source).hasSameHashCodeAs(source).hasSize(n);
      assertThat(Map.copyOf(source)).isEqualTo(copy);
      for (int i = 0; i < n; i++) {
        // A key equal but not identical to the stored one is found too.
        assertThat(copy.get(new String("key-" + i))).isEqualTo("value-" + i);
        assertThat(copy.containsKey("key-" + i)).isTrue();
      }
      assertThat(copy.get("missing")).isNull();
      assertThatThrownBy(() -> copy.containsKey(null)).isInstanceOf(NullPointerException.class);
      Map<String, String> seen = new HashMap<>();
      copy.forEach(seen::put);
      assertThat(seen).isEqualTo(source);
      assertThat(copy.entrySet()).hasSize(n);
    }
  }

  @Test
  void smallMapsAreKeptAsAnArrayAndLargeOnesAsMapCopyOf() {
    assertThat(SmallMap.copyOf(sized(0))).isSameAs(Map.of());
    assertThat(SmallMap.copyOf(sized(SmallMap.MAX_LINEAR))).isInstanceOf(SmallMap.class);
    assertThat(SmallMap.copyOf(sized(SmallMap.MAX_LINEAR + 1))).isNotInstanceOf(SmallMap.class);
    Map<String, String> small = SmallMap.copyOf(sized(2));
    assertThat(SmallMap.copyOf(small)).isSameAs(small);
  }

  @Test
  void isImmutableAndRefusesNulls() {
    Map<String, String> m = SmallMap.copyOf(sized(3));
    assertThatThrownBy(() -> m.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("key-0")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("missing")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(m).hasSize(3);
    Map<String, String> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> SmallMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withAddsOrMergesOneEntryAndLeavesTheGivenMapAlone() {
    for (int n = 0; n <= SmallMap.MAX_LINEAR + 2; n++) {
      Map<String, String> before = SmallMap.copyOf(sized(n));
      Map<String, String> added = SmallMap.with(before, "new", "v", (a, b) -> a + b);
      Map<String, String> expected = new HashMap<>(sized(n));
      expected.put("new", "v");
      assertThat(added).isEqualTo(expected);
      assertThat(before).isEqualTo(sized(n)); // unchanged
      assertThat(added instanceof SmallMap).isEqualTo(n + 1 <= SmallMap.MAX_LINEAR);
      if (n > 0) {
        Map<String, String> merged = SmallMap.with(before, "key-0", "+", (a, b) -> a + b);
        assertThat(merged.get("key-0")).isEqualTo("value-0+");
        assertThat(merged).hasSize(n);
        assertThat(before.get("key-0")).isEqualTo("value-0");
      }
    }
    assertThatThrownBy(() -> SmallMap.with(Map.of(), null, "v", (a, b) -> b)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SmallMap.with(Map.of(), "k", null, (a, b) -> b)).isInstanceOf(NullPointerException.class);
  }
}
