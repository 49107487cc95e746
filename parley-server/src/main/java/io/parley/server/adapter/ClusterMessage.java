package io.parley.server.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message between the nodes of a cluster, in the model of socket.io's {@code ClusterAdapter}
 * ({@code {type, data, uid, nsp}}). A backend only carries these; how it encodes them (JSON or
 * MessagePack, as {@code @socket.io/redis-adapter} does) is its own business.
 *
 * @param uid the {@link ClusterAdapter#uid()} of the sending node
 * @param nsp the namespace it concerns ({@code /chat}); null is accepted as any
 * @param type what the message is
 * @param data the type's payload ({@code {opts, packet}}, {@code {requestId, ...}}, ...); do not
 *     modify it once sent
 */
public record ClusterMessage(String uid, String nsp, Type type, ObjectNode data) {

  /** The message types, with socket.io's numbers. */
  public enum Type {
    /** A node announces itself when it starts (heartbeat-based backends; not used by Parley's). */
    INITIAL_HEARTBEAT(1),
    /** A node is still alive (heartbeat-based backends; not used by Parley's). */
    HEARTBEAT(2),
    /** An emit to the sockets {@code opts} selects; with a {@code requestId} when acks are wanted. */
    BROADCAST(3),
    /** {@code socketsJoin}: the sockets {@code opts} selects join {@code rooms}. */
    SOCKETS_JOIN(4),
    /** {@code socketsLeave}: the sockets {@code opts} selects leave {@code rooms}. */
    SOCKETS_LEAVE(5),
    /** {@code disconnectSockets}: the sockets {@code opts} selects are disconnected ({@code close}). */
    DISCONNECT_SOCKETS(6),
    /** {@code fetchSockets}: a request each other node answers with {@link #FETCH_SOCKETS_RESPONSE}. */
    FETCH_SOCKETS(7),
    /** A node's sockets, in answer to {@link #FETCH_SOCKETS}. */
    FETCH_SOCKETS_RESPONSE(8),
    /** {@code serverSideEmit}: an event for the other nodes' listeners; with a {@code requestId} for acks. */
    SERVER_SIDE_EMIT(9),
    /** A node's ack, in answer to {@link #SERVER_SIDE_EMIT} with a {@code requestId}. */
    SERVER_SIDE_EMIT_RESPONSE(10),
    /** How many local sockets a node sent a {@link #BROADCAST} with acks to. */
    BROADCAST_CLIENT_COUNT(11),
    /** One socket's ack to a {@link #BROADCAST} with acks. */
    BROADCAST_ACK(12),
    /** A node's adapter is closing (heartbeat-based backends; not used by Parley's). */
    ADAPTER_CLOSE(13);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The number socket.io gives this type on the wire. */
    public int code() {
      return code;
    }

    /**
     * The type for a wire number, or null when unknown.
     *
     * @param code the number
     * @return the type, or null
     */
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
