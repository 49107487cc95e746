package io.parley.server.engine;

import io.parley.protocol.EncodedPacket;
import io.parley.server.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw Engine.IO endpoint that sends every message back unchanged, text as text and binary as
 * binary: the fixture the official Engine.IO test suite expects.
 */
public final class EchoHandler implements EngineHandler {
  public EchoHandler() {}

  @Override
  public EngineListener onConnection(EngineConnection connection) {
    return new EngineListener() {
      @Override
      public void onText(String data) {
        connection.send(new EncodedPacket(("4" + data).getBytes(StandardCharsets.UTF_8), List.of()), false);
      }

      @Override
      public void onBinary(byte[] data) {
        connection.sendBinary(data);
      }

      @Override
      public void onClose(DisconnectReason reason) {}
    };
  }
}
