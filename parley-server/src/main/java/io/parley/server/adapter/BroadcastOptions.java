package io.parley.server.adapter;

import java.time.Duration;
import java.util.Set;

/**
 * Who a broadcast reaches and how: sockets in any of {@code rooms} (all sockets when empty) but in
 * none of {@code except}, with the reference's flags.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, Flags flags) {
  public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), Flags.NONE);

  public BroadcastOptions {
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
  }

  /**
   * Whether a socket in {@code socketRooms} (its own id included) is a recipient: in one of
   * {@link #rooms} (or rooms is empty) and in none of {@link #except}.
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
   * @param volatileFlag drop the packet for connections not ready to write
   * @param compress compress the packet when the transport can
   * @param local deliver on this node only, even in a cluster
   * @param timeout ack timeout of a broadcast with acks, or null
   */
  public record Flags(boolean volatileFlag, boolean compress, boolean local, Duration timeout) {
    public static final Flags NONE = new Flags(false, true, false, null);

    public Flags withVolatile() {
      return new Flags(true, compress, local, timeout);
    }

    public Flags withCompress(boolean c) {
      return new Flags(volatileFlag, c, local, timeout);
    }

    public Flags withLocal() {
      return new Flags(volatileFlag, compress, true, timeout);
    }

    public Flags withTimeout(Duration t) {
      return new Flags(volatileFlag, compress, local, t);
    }
  }
}
