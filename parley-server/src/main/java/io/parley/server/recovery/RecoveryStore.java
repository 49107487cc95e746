package io.parley.server.recovery;

import io.parley.server.adapter.BroadcastOptions;
import io.parley.protocol.EncodedPacket;
import java.util.List;
import java.util.Set;

/**
 * Where the in-memory {@link io.parley.server.adapter.Adapter} keeps, for connection state recovery,
 * the sessions of disconnected sockets and the packets they may have missed (SPI;
 * {@link InMemoryRecoveryStore} is the default, chosen by {@link RecoveryOptions#store}). One store
 * per namespace, made on first use.
 *
 * <p>The adapter calls {@link #nextOffset} then {@link #add} under its own lock, in the order the
 * packets are handed to the connections, and {@link #missedSince} under the same lock while it
 * attaches a recovered socket, so a store needs no ordering of its own; it must still be safe to
 * call {@link #persist} and {@link #take} from any thread.
 *
 * <p>A cluster backend that keeps packets elsewhere (in a shared log) overrides the recovery hooks
 * of {@link io.parley.server.adapter.Adapter} instead ({@code persistSession}, {@code restoreSession},
 * {@code resumeSession}).
 *
 * <p>Methods are called on the threads of the operations (handlers, event loops), under the
 * adapter's lock for {@code nextOffset}, {@code add} and {@code missedSince}: they must be fast and
 * must not block.
 *
 * <pre>{@code
 * RecoveryOptions recovery = RecoveryOptions.builder()
 *     .store(nsp -> new MyRecoveryStore(nsp.name()))
 *     .build();
 * }</pre>
 */
public interface RecoveryStore {
  /**
   * A new offset, unique in this store, for the packet about to be added. Clients send it back as
   * text; compare offsets only through this store.
   *
   * @return the offset
   */
  String nextOffset();

  /**
   * Keeps {@code packet} (encoded with {@code offset} as its last argument), addressed as {@code opts}.
   * The store may drop old packets to stay within its bounds.
   *
   * @param offset the offset {@link #nextOffset} just returned
   * @param packet the encoded packet, shared with its recipients (do not modify)
   * @param opts who it was sent to, for {@link #missedSince}
   */
  void add(String offset, EncodedPacket packet, BroadcastOptions opts);

  /**
   * Keeps the session of a socket whose connection dropped, for {@code maxDisconnectionDuration}.
   *
   * @param session the session
   */
  void persist(Session session);

  /**
   * Removes and returns the session of {@code pid} when it has not expired and the packet of
   * {@code offset} is still kept; null otherwise (the session is removed either way).
   *
   * @param pid the private session id the client sent
   * @param offset the offset of the last packet the client received
   * @return the session, or null
   */
  Session take(String pid, String offset);

  /**
   * The packets kept after {@code offset} that a socket in {@code rooms} would have received, oldest
   * first; null when {@code offset} is no longer kept.
   *
   * @param offset the offset of the last packet the client received
   * @param rooms the session's rooms, its own id included
   * @return the packets to replay, or null
   */
  List<EncodedPacket> missedSince(String offset, Set<String> rooms);

  /** Releases what the store holds (its timers); called when the adapter closes. */
  default void close() {}
}
