package io.parley.server.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message between the nodes of a cluster, in the model of socket.io's {@code ClusterAdapter}
 * ({@code {type, data, uid, nsp}}). A backend only carries these; how it encodes them (JSON or
 * MessagePack, as {@code @socket.io/redis-adapter} does) is its own business.
 */
public record ClusterMessage(String uid, String nsp, Type type, ObjectNode data) {

  /** The message types, with socket.io's numbers. */
  public enum Type {
    INITIAL_HEARTBEAT(1), HEARTBEAT(2), BROADCAST(3), SOCKETS_JOIN(4), SOCKETS_LEAVE(5), DISCONNECT_SOCKETS(6),
    FETCH_SOCKETS(7), FETCH_SOCKETS_RESPONSE(8), SERVER_SIDE_EMIT(9), SERVER_SIDE_EMIT_RESPONSE(10),
    BROADCAST_CLIENT_COUNT(11), BROADCAST_ACK(12), ADAPTER_CLOSE(13);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The type for a wire number, or null when unknown. */
    public static Type of(int code) {
      return code >= 1 && code <= 13 ? values()[code - 1] : null;
    }

    /** Whether this type is an answer to a request rather than a request. */
    public boolean isResponse() {
      return this == FETCH_SOCKETS_RESPONSE || this == SERVER_SIDE_EMIT_RESPONSE
          || this == BROADCAST_CLIENT_COUNT || this == BROADCAST_ACK;
    }
  }
}
