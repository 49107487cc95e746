package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fragmented messages and the closing handshake on the WebSocket transport (plain Engine.IO echo). */
@Timeout(20)
class WebSocketFramingTest {
  private static final String PATH = "/engine.io/?EIO=4&transport=websocket";
  private ParleyServer server;

  private void start(int maxHttpBufferSize) throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .endpoint(EngineOptions.builder().path("/engine.io/").maxHttpBufferSize(maxHttpBufferSize).build(),
            new EchoHandler())
        .build().start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aFragmentedMessageArrivesWholeAndLaterMessagesStillWork() throws Exception {
    start(10_000);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, null)) {
      assertThat(ws.read().text()).startsWith("0{\"sid\":");
      ws.sendTextFragments("4hel", "lo, ", "world");
      assertThat(ws.readData().text()).isEqualTo("4hello, world");
      ws.sendText("4whole", false);
      assertThat(ws.readData().text()).isEqualTo("4whole");
      ws.sendTextFragments("4again", " in two");
      assertThat(ws.readData().text()).isEqualTo("4again in two");
    }
  }

  @Test
  void fragmentsAddingUpToMoreThanMaxHttpBufferSizeCloseWithMessageTooBig() throws Exception {
    start(10_000);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, null)) {
      assertThat(ws.read().text()).startsWith("0{\"sid\":");
      ws.sendTextFragments("4" + "x".repeat(6_000), "y".repeat(6_000));
      assertThat(closeStatus(ws)).isEqualTo(1009);
    }
  }

  @Test
  void anOversizedFrameGetsItsCloseStatusEvenWhileTheClientIsStillSending() throws Exception {
    start(10_000);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, null)) {
      assertThat(ws.read().text()).startsWith("0{\"sid\":");
      // 1 MB in one frame: the server refuses it after its header, while most of it is still in
      // flight; closing at once would reset the connection and lose the close frame.
      try {
        ws.sendText("4" + "z".repeat(1_000_000), false);
      } catch (java.io.UncheckedIOException e) {
        // the server may have half-closed before the client finished writing: fine
      }
      assertThat(closeStatus(ws)).isEqualTo(1009);
    }
  }

  @Test
  void aClientCloseFrameIsAnsweredWithACloseFrame() throws Exception {
    start(10_000);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, null)) {
      assertThat(ws.read().text()).startsWith("0{\"sid\":");
      ws.sendClose(1000);
      assertThat(closeStatus(ws)).isEqualTo(1000);
    }
  }

  /** Reads up to the server's close frame and returns its status code. */
  private static int closeStatus(TestClient.Ws ws) throws IOException {
    TestClient.Frame m;
    do {
      m = ws.read();
    } while (m.opcode() != TestClient.Frame.CLOSE);
    return ByteBuffer.wrap(m.payload()).getShort() & 0xffff;
  }

}
