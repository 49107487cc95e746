package io.parley.protocol;

import java.util.List;

/**
 * A Socket.IO packet in its wire form, ready for any transport: {@code text} is the UTF-8 Engine.IO
 * message frame (starting with {@code 4}), followed by {@code attachments} binary frames. Immutable
 * once built, so one instance is shared by every recipient of a broadcast.
 */
public record EncodedPacket(byte[] text, List<byte[]> attachments) {
  public EncodedPacket {
    attachments = List.copyOf(attachments);
  }

  /** Number of Engine.IO frames this packet occupies. */
  public int frameCount() {
    return 1 + attachments.size();
  }
}
