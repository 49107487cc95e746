package io.parley.protocol;

/**
 * One decoded Engine.IO packet. Text packets carry their payload as a string (possibly empty);
 * binary packets are always of type {@link EngineType#MESSAGE} and carry bytes.
 */
public sealed interface EnginePacket {
  EngineType type();

  record Text(EngineType type, String data) implements EnginePacket {}

  record Binary(byte[] data) implements EnginePacket {
    @Override
    public EngineType type() {
      return EngineType.MESSAGE;
    }
  }
}
