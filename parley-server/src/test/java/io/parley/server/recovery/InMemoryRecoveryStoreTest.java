package io.parley.server.recovery;

import io.parley.server.adapter.BroadcastOptions;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.EncodedPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounds of the in-memory recovery store: time, packet count, bytes, sessions. */
class InMemoryRecoveryStoreTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);

  private InMemoryRecoveryStore store(RecoveryOptions.Builder b) {
    return new InMemoryRecoveryStore(b.build(), clock::get);
  }

  private static EncodedPacket packet(String text) {
    return new EncodedPacket(("42[\"m\",\"" + text + "\"]").getBytes(StandardCharsets.UTF_8), List.of());
  }

  private static BroadcastOptions to(String... rooms) {
    return new BroadcastOptions(Set.of(rooms), Set.of(), BroadcastOptions.Flags.NONE);
  }

  private static String text(EncodedPacket p) {
    return new String(p.text(), StandardCharsets.UTF_8);
  }

  private static Session session(String pid, String... rooms) {
    return new Session("sid-" + pid, pid, Set.of(rooms), Map.of());
  }

  @Test
  void givesBackWhatASocketInTheRoomsMissedInOrder() {
    InMemoryRecoveryStore s = store(RecoveryOptions.builder());
    String first = s.nextOffset();
    s.add(first, packet("a"), to());
    for (String[] p : new String[][] {{"b", "red"}, {"c", "blue"}, {"d", ""}}) {
      String o = s.nextOffset();
      s.add(o, packet(p[0]), p[1].isEmpty() ? to() : to(p[1]));
    }
    String o = s.nextOffset();
    s.add(o, packet("e"), new BroadcastOptions(Set.of(), Set.of("red"), BroadcastOptions.Flags.NONE));
    assertThat(s.missedSince(first, Set.of("me", "red")).stream().map(InMemoryRecoveryStoreTest::text))
        .containsExactly("42[\"m\",\"b\"]", "42[\"m\",\"d\"]");
    assertThat(s.missedSince(first, Set.of("me"))).hasSize(2); // d and e
    assertThat(s.missedSince("unknown.1", Set.of("me"))).isNull();
  }

  @Test
  void aSessionIsTakenOnceAndOnlyWithinTheWindow() {
    InMemoryRecoveryStore s = store(RecoveryOptions.builder().maxDisconnectionDuration(Duration.ofSeconds(10)));
    String o = s.nextOffset();
    s.add(o, packet("a"), to());
    s.persist(session("p1", "r"));
    assertThat(s.take("p1", o)).isEqualTo(session("p1", "r"));
    assertThat(s.take("p1", o)).as("taken once").isNull();
    s.persist(session("p2"));
    clock.addAndGet(9_000);
    String o2 = s.nextOffset();
    s.add(o2, packet("b"), to());
    clock.addAndGet(2_000);
    assertThat(s.take("p2", o2)).as("after the window").isNull();
    s.persist(session("p3"));
    assertThat(s.take("p3", o)).as("offset older than the window is gone").isNull();
  }

  @Test
  void staysWithinItsBoundsUnderALongStreamWithDisconnectedSessions() {
    InMemoryRecoveryStore s = store(RecoveryOptions.builder().maxPackets(1_000).maxBytes(20_000).maxSessions(50));
    String firstOffset = null;
    for (int i = 0; i < 200_000; i++) {
      String o = s.nextOffset();
      if (i == 0) {
        firstOffset = o;
      }
      s.add(o, packet("message " + i), i % 3 == 0 ? to() : to("room" + (i % 7)));
      if (i % 1_000 == 0) {
        s.persist(session("p" + i, "room" + (i % 7)));
      }
      clock.incrementAndGet();
      assertThat(s.packetCount()).isLessThanOrEqualTo(1_000);
      assertThat(s.byteCount()).isLessThanOrEqualTo(20_000);
      assertThat(s.sessionCount()).isLessThanOrEqualTo(50);
    }
    assertThat(s.byteCount()).isGreaterThan(15_000);
    assertThat(s.missedSince(firstOffset, Set.of("room1"))).as("evicted offset").isNull();
    assertThat(s.take("p0", firstOffset)).as("oldest session evicted").isNull();
    // and the time bound: everything goes once the window has passed
    clock.addAndGet(RecoveryOptions.DEFAULT.maxDisconnectionDuration().toMillis() + 1);
    s.sweep();
    assertThat(s.packetCount()).isZero();
    assertThat(s.byteCount()).isZero();
    assertThat(s.sessionCount()).isZero();
  }

  @Test
  void offsetsOfAnotherStoreAreUnknown() {
    InMemoryRecoveryStore a = store(RecoveryOptions.builder());
    InMemoryRecoveryStore b = store(RecoveryOptions.builder());
    String o = a.nextOffset();
    a.add(o, packet("x"), to());
    String ob = b.nextOffset();
    b.add(ob, packet("y"), to());
    assertThat(b.missedSince(o, Set.of())).isNull();
    assertThat(a.missedSince(o, Set.of())).isEmpty();
  }
}
