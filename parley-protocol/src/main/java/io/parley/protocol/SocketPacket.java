package io.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet. {@code data} is the JSON payload with binary attachments already put
 * back in place as {@link com.fasterxml.jackson.databind.node.BinaryNode}s; {@code null} when the
 * packet had no payload. {@code id} is the ack id, or {@link #NO_ID}.
 */
public record SocketPacket(PacketType type, String nsp, long id, JsonNode data) {
  public static final long NO_ID = -1;

  public boolean hasId() {
    return id >= 0;
  }
}
