package io.parley.server.recovery;

import io.parley.server.adapter.BroadcastOptions;
import io.parley.protocol.EncodedPacket;
import java.util.List;
import java.util.Set;

/**
 * Where the in-memory {@link Adapter} keeps, for connection state recovery, the sessions of
 * disconnected sockets and the packets they may have missed (SPI; {@link InMemoryRecoveryStore} is
 * the default, chosen by {@link RecoveryOptions#store}). One store per namespace.
 *
 * <p>The adapter calls {@link #nextOffset} then {@link #add} under its own lock, in the order the
 * packets are handed to the connections, and {@link #missedSince} under the same lock while it
 * attaches a recovered socket, so a store needs no ordering of its own; it must still be safe to
 * call {@link #persist} and {@link #take} from any thread.
 *
 * <p>A cluster backend that keeps packets elsewhere (in a shared log) overrides the recovery hooks
 * of {@link Adapter} instead ({@code persistSession}, {@code restoreSession}, {@code resumeSession}).
 */
public interface RecoveryStore {
  /** A new offset, unique in this store, for the packet about to be added. */
  String nextOffset();

  /** Keeps {@code packet} (encoded with {@code offset} as its last argument), addressed as {@code opts}. */
  void add(String offset, EncodedPacket packet, BroadcastOptions opts);

  /** Keeps the session of a socket whose connection dropped, for {@code maxDisconnectionDuration}. */
  void persist(Session session);

  /**
   * Removes and returns the session of {@code pid} when it has not expired and the packet of
   * {@code offset} is still kept; null otherwise (the session is removed either way).
   */
  Session take(String pid, String offset);

  /**
   * The packets kept after {@code offset} that a socket in {@code rooms} would have received, oldest
   * first; null when {@code offset} is no longer kept.
   */
  List<EncodedPacket> missedSince(String offset, Set<String> rooms);

  /** Releases what the store holds (its timers); called when the adapter closes. */
  default void close() {}
}
