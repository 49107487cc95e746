package io.parley.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A Socket.IO packet in its wire form, ready for any transport: {@code text} is the UTF-8 Engine.IO
 * message frame (starting with {@code 4}), followed by {@code attachments} binary frames. Immutable
 * once built, so one instance is shared by every recipient of a broadcast; a transport may attach
 * its own framing of it once ({@link #transportCache}) so that work is shared too.
 */
public final class EncodedPacket {
  private final byte[] text;
  private final List<byte[]> attachments;
  private volatile Object transportCache;

  /**
   * A packet in its wire form (the arrays are kept, not copied: do not modify them afterwards).
   *
   * @param text the UTF-8 Engine.IO message frame, {@code 4} first
   * @param attachments the binary frames that follow it, in order
   */
  public EncodedPacket(byte[] text, List<byte[]> attachments) {
    this.text = Objects.requireNonNull(text, "text");
    this.attachments = List.copyOf(attachments);
  }

  /** The UTF-8 text frame, {@code 4} first (the array itself: do not modify it). */
  public byte[] text() {
    return text;
  }

  /** The binary frames that follow the text frame, in order; empty for a packet without binary. */
  public List<byte[]> attachments() {
    return attachments;
  }

  /** Number of Engine.IO frames this packet occupies. */
  public int frameCount() {
    return 1 + attachments.size();
  }

  /** What a transport cached with {@link #transportCache(Object)}, or null. */
  public Object transportCache() {
    return transportCache;
  }

  /**
   * Lets a transport keep its framing of this packet (e.g. the WebSocket frame bytes) for the
   * other recipients. Racing writers store equal values, so no lock is needed.
   *
   * @param value the transport's framing of this packet
   */
  public void transportCache(Object value) {
    this.transportCache = value;
  }

  @Override
  public String toString() {
    return "EncodedPacket[" + new String(text, java.nio.charset.StandardCharsets.UTF_8) + " +" + attachments.size() + "]";
  }
}
