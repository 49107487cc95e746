package io.parley.protocol;

/**
 * One decoded Engine.IO packet. Text packets carry their payload as a string (possibly empty);
 * binary packets are always of type {@link EngineType#MESSAGE} and carry bytes.
 */
public sealed interface EnginePacket {
  /** The packet type. */
  EngineType type();

  /**
   * A text packet.
   *
   * @param type the packet type
   * @param data the payload after the type digit (possibly empty)
   */
  record Text(EngineType type, String data) implements EnginePacket {}

  /**
   * A binary packet: a {@code message} whose payload is bytes.
   *
   * @param data the bytes
   */
  record Binary(byte[] data) implements EnginePacket {
    /** Always {@link EngineType#MESSAGE}. */
    @Override
    public EngineType type() {
      return EngineType.MESSAGE;
    }
  }
}
