package io.parley.server.recovery;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket whose connection dropped: its id, its private
 * session id ({@code pid}, known only to its client), its rooms (its own id included) and its
 * {@code data}. The form of socket.io's {@code Session}; the Redis Streams adapter stores it as
 * MessagePack {@code {sid, pid, rooms, data}}. Immutable.
 *
 * @param sid the socket id, which the recovered socket takes back
 * @param pid the private session id the client sends back to recover
 * @param rooms the socket's rooms, its own id included (copied)
 * @param data the socket's {@code data} (copied; values as they were, or JSON trees once stored
 *     elsewhere)
 */
public record Session(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
  /**
   * Copies the rooms and data.
   *
   * @throws NullPointerException when {@code sid} or {@code pid} is null, or a room, key or value is
   */
  public Session {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(pid, "pid");
    rooms = Set.copyOf(rooms);
    data = Map.copyOf(data);
  }
}
