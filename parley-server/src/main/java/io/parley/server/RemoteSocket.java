package io.parley.server;

import java.util.Map;
import java.util.Set;

/**
 * A socket found by {@code fetchSockets}, on this node or another. Its state is a snapshot taken
 * when it was fetched; its methods act on the live socket wherever it is.
 */
public final class RemoteSocket {
  private final String id;
  private final Handshake handshake;
  private final Set<String> rooms;
  private final Map<String, Object> data;
  private final BroadcastOperator self;

  public RemoteSocket(String id, Handshake handshake, Set<String> rooms, Map<String, Object> data, Namespace nsp) {
    this.id = id;
    this.handshake = handshake;
    this.rooms = Set.copyOf(rooms);
    this.data = data;
    this.self = nsp.to(id);
  }

  static RemoteSocket of(Socket s) {
    return new RemoteSocket(s.id(), s.handshake(), s.rooms(), s.data(), s.nsp());
  }

  public String id() {
    return id;
  }

  public Handshake handshake() {
    return handshake;
  }

  public Set<String> rooms() {
    return rooms;
  }

  public Map<String, Object> data() {
    return data;
  }

  public boolean emit(String event, Object... args) {
    return self.emit(event, args);
  }

  public void join(String... rooms) {
    self.socketsJoin(rooms);
  }

  public void leave(String... rooms) {
    self.socketsLeave(rooms);
  }

  public void disconnect(boolean close) {
    self.disconnectSockets(close);
  }
}
