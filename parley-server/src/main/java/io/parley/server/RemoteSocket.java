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

  /** The form the cluster protocols carry: {@code {id, handshake, rooms, data}}. */
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
