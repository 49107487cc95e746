package io.parley.server.recovery;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket whose connection dropped: its id, its private
 * session id ({@code pid}, known only to its client), its rooms (its own id included) and its
 * {@code data}. The form of socket.io's {@code Session}; the Redis Streams adapter stores it as
 * MessagePack {@code {sid, pid, rooms, data}}.
 */
public record Session(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
  public Session {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(pid, "pid");
    rooms = Set.copyOf(rooms);
    data = Map.copyOf(data);
  }
}
