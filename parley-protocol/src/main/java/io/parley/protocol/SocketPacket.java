package io.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet. {@code data} is the JSON payload with binary attachments already put
 * back in place as {@link com.fasterxml.jackson.databind.node.BinaryNode}s; {@code null} when the
 * packet had no payload. {@code id} is the ack id, or {@link #NO_ID}.
 *
 * @param type the packet type; {@code BINARY_*} types keep their type after reconstruction
 * @param nsp the namespace, {@code /} when the packet named none
 * @param id the ack id: the sender wants an ACK with this id (or this is one); {@link #NO_ID} when none
 * @param data the payload ({@code [event, ...args]} for events, the arguments for acks, an object for
 *     CONNECT), or null
 */
public record SocketPacket(PacketType type, String nsp, long id, JsonNode data) {
  /** The {@code id} of a packet without ack id. */
  public static final long NO_ID = -1;

  /** Whether the packet carries an ack id (an event expecting an ack, or an ack). */
  public boolean hasId() {
    return id >= 0;
  }
}
