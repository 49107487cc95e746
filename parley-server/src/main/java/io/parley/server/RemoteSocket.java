package io.parley.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A socket found by {@code fetchSockets}, on this node or another, as socket.io's
 * {@code RemoteSocket}. Its id, handshake and rooms are a snapshot taken when it was fetched; its
 * methods act on the live socket wherever it is, through the adapter (as
 * {@code io.to(id)...}), and do nothing once it is gone. Thread-safe.
 *
 * <pre>{@code
 * io.fetchSockets().thenAccept(sockets -> {
 *   for (RemoteSocket s : sockets) {
 *     log.info("{} in {} with {}", s.id(), s.rooms(), s.data());
 *     s.emit("hello");
 *     s.join("room1");
 *   }
 * });
 * }</pre>
 */
public final class RemoteSocket {
  private final String id;
  private final Handshake handshake;
  private final Set<String> rooms;
  private final Map<String, Object> data;
  private final BroadcastOperator self;

  /**
   * A socket as a cluster adapter rebuilds it from another node's answer (see {@link #fromJson}).
   *
   * @param id the socket id
   * @param handshake its handshake, or null when unknown
   * @param rooms its rooms, its own id included (copied)
   * @param data its {@code data} (kept as given)
   * @param nsp the namespace it belongs to; the methods act through its adapter
   */
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

  /**
   * The form the cluster protocols carry: {@code {id, handshake, rooms, data}}.
   *
   * @param mapper serialises the handshake and the data
   * @return a new JSON object
   */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", id);
    o.set("handshake", mapper.valueToTree(handshake));
    ArrayNode r = o.putArray("rooms");
    rooms.forEach(r::add);
    o.set("data", mapper.valueToTree(data));
    return o;
  }

  /**
   * A socket of another node from its {@link #toJson} form. A handshake that does not read as a
   * {@link Handshake} (fields of another server's making) is null; data values stay JSON.
   *
   * @param s the JSON object another node sent
   * @param nsp the namespace of the socket
   * @param mapper reads the handshake
   * @return the socket
   */
  public static RemoteSocket fromJson(JsonNode s, Namespace nsp, ObjectMapper mapper) {
    Handshake h;
    try {
      h = mapper.readerFor(Handshake.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(s.path("handshake"));
    } catch (IOException | IllegalArgumentException e) {
      h = null;
    }
    Map<String, Object> data = new HashMap<>();
    s.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue()));
    Set<String> rooms = new HashSet<>();
    s.path("rooms").forEach(r -> rooms.add(r.asText()));
    return new RemoteSocket(s.path("id").asText(), h, rooms, Map.copyOf(data), nsp);
  }

  /** The socket id (also the name of its own room). */
  public String id() {
    return id;
  }

  /**
   * The socket's handshake; null for a socket of another node whose handshake could not be read
   * (a server of another making).
   */
  public Handshake handshake() {
    return handshake;
  }

  /** The rooms the socket was in when fetched, its own id included. */
  public Set<String> rooms() {
    return rooms;
  }

  /**
   * The socket's {@code data}. For a socket of this node it is the socket's live map (see
   * {@link Socket#data()}); for another node's, an immutable copy whose values are JSON trees
   * ({@code JsonNode}).
   */
  public Map<String, Object> data() {
    return data;
  }

  /**
   * Sends an event to this socket wherever it is connected, like socket.io's
   * {@code remoteSocket.emit(event, ...args)} (a broadcast to its own room).
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments
   * @return true, as the reference does
   */
  public boolean emit(String event, Object... args) {
    return self.emit(event, args);
  }

  /**
   * Makes this socket join rooms wherever it is connected, like socket.io's
   * {@code remoteSocket.join(room)}.
   *
   * @param rooms the rooms to join
   */
  public void join(String... rooms) {
    self.socketsJoin(rooms);
  }

  /**
   * Makes this socket leave rooms wherever it is connected, like socket.io's
   * {@code remoteSocket.leave(room)}.
   *
   * @param rooms the rooms to leave
   */
  public void leave(String... rooms) {
    self.socketsLeave(rooms);
  }

  /**
   * Disconnects this socket wherever it is connected, like socket.io's
   * {@code remoteSocket.disconnect(close)}; see {@link Socket#disconnect}.
   *
   * @param close also close its underlying connection
   */
  public void disconnect(boolean close) {
    self.disconnectSockets(close);
  }
}
