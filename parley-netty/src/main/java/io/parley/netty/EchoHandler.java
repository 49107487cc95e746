package io.parley.netty;

import io.parley.protocol.EncodedPacket;
import io.parley.server.engine.EngineConnection;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.EngineListener;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw Engine.IO endpoint that sends every message back unchanged, text as text and binary as
 * binary: the fixture the official Engine.IO test suite expects.
 */
public final class EchoHandler implements EngineHandler {
  @Override
  public EngineListener onConnection(EngineConnection connection) {
    EngineSession session = (EngineSession) connection;
    return new EngineListener() {
      @Override
      public void onText(String data) {
        session.send(new EncodedPacket(("4" + data).getBytes(StandardCharsets.UTF_8), List.of()), false);
      }

      @Override
      public void onBinary(byte[] data) {
        session.sendBinary(data);
      }

      @Override
      public void onClose(String reason) {}
    };
  }
}
