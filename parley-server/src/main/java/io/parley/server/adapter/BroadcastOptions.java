package io.parley.server.adapter;

import java.time.Duration;
import java.util.Set;

/**
 * Who a broadcast reaches and how: sockets in any of {@code rooms} (all sockets when empty) but in
 * none of {@code except}, with the reference's flags. What a {@code BroadcastOperator} hands the
 * adapter; immutable.
 *
 * @param rooms the targeted rooms; empty for every socket of the namespace (copied)
 * @param except the excluded rooms (copied)
 * @param flags volatile, compress, local and timeout
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, Flags flags) {
  /** Every socket of the namespace, default flags. */
  public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), Flags.NONE);

  /**
   * Copies the sets.
   *
   * @throws NullPointerException when a set is null or holds null
   */
  public BroadcastOptions {
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
  }

  /**
   * Whether a socket in {@code socketRooms} (its own id included) is a recipient: in one of
   * {@link #rooms} (or rooms is empty) and in none of {@link #except}.
   *
   * @param socketRooms the rooms of the socket
   * @return true when it is a recipient
   */
  public boolean reaches(Set<String> socketRooms) {
    boolean included = rooms.isEmpty();
    for (String r : socketRooms) {
      if (except.contains(r)) {
        return false;
      }
      included = included || rooms.contains(r);
    }
    return included;
  }

  /**
   * The flags of a broadcast, as socket.io's {@code BroadcastFlags}.
   *
   * @param volatileFlag drop the packet for connections not ready to write
   * @param compress compress the packet when the transport can
   * @param local deliver on this node only, even in a cluster
   * @param timeout ack timeout of a broadcast with acks, or null
   */
  public record Flags(boolean volatileFlag, boolean compress, boolean local, Duration timeout) {
    /** No flag set: queued, compressible, cluster-wide, no timeout. */
    public static final Flags NONE = new Flags(false, true, false, null);

    /** These flags, volatile. */
    public Flags withVolatile() {
      return new Flags(true, compress, local, timeout);
    }

    /**
     * These flags with {@code compress} set to {@code c}.
     *
     * @param c whether the packet may be compressed
     * @return new flags
     */
    public Flags withCompress(boolean c) {
      return new Flags(volatileFlag, c, local, timeout);
    }

    /** These flags, local (this node only). */
    public Flags withLocal() {
      return new Flags(volatileFlag, compress, true, timeout);
    }

    /**
     * These flags with an ack timeout.
     *
     * @param t the timeout, or null for none
     * @return new flags
     */
    public Flags withTimeout(Duration t) {
      return new Flags(volatileFlag, compress, local, t);
    }
  }
}
