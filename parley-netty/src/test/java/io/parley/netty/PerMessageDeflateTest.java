package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** permessage-deflate (RFC 7692) on the WebSocket transport. */
@Timeout(20)
class PerMessageDeflateTest {
  private static final String PATH = "/engine.io/?EIO=4&transport=websocket";
  private static final String OFFER = "permessage-deflate; client_max_window_bits";

  private ParleyServer server;

  private void start(boolean deflate) throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0).perMessageDeflate(deflate)
        .endpoint(EngineOptions.builder().path("/engine.io/").build(), new EchoHandler())
        .build().start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void offeredExtensionIsAcceptedAndMessagesStillEcho() throws Exception {
    start(true);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, OFFER)) {
      assertThat(ws.status()).isEqualTo(101);
      assertThat(ws.headers().get("sec-websocket-extensions")).startsWith("permessage-deflate");

      TestClient.Frame open = ws.read();
      assertThat(open.opcode()).isEqualTo(TestClient.Frame.TEXT);
      assertThat(open.compressed()).as("the server compresses its frames").isTrue();
      assertThat(open.text()).startsWith("0{\"sid\":").contains("\"upgrades\":[]");

      ws.sendText("4hello", false);
      TestClient.Frame plainEcho = ws.readData();
      assertThat(plainEcho.compressed()).isTrue();
      assertThat(plainEcho.text()).isEqualTo("4hello");

      String big = "4" + "compressible ".repeat(400);
      ws.sendText(big, true);
      assertThat(ws.readData().text()).isEqualTo(big);

      ws.sendText("4again ✓", true);
      assertThat(ws.readData().text()).isEqualTo("4again ✓");

      ws.sendBinary(new byte[] {1, 2, 3, 4}, true);
      TestClient.Frame bin = ws.readData();
      assertThat(bin.opcode()).isEqualTo(TestClient.Frame.BINARY);
      assertThat(bin.payload()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void clientThatDoesNotOfferItGetsPlainFrames() throws Exception {
    start(true);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, null)) {
      assertThat(ws.status()).isEqualTo(101);
      assertThat(ws.headers()).doesNotContainKey("sec-websocket-extensions");
      assertThat(ws.read().compressed()).isFalse();

      ws.sendText("4hello", false);
      TestClient.Frame echo = ws.readData();
      assertThat(echo.compressed()).isFalse();
      assertThat(echo.text()).isEqualTo("4hello");
    }
  }

  @Test
  void offIsTheDefaultAndTheOfferIsDeclined() throws Exception {
    start(false);
    try (TestClient.Ws ws = TestClient.to(server).upgrade(PATH, OFFER)) {
      assertThat(ws.status()).isEqualTo(101);
      assertThat(ws.headers()).doesNotContainKey("sec-websocket-extensions");
      assertThat(ws.read().compressed()).isFalse();

      ws.sendText("4hello", false);
      TestClient.Frame echo = ws.readData();
      assertThat(echo.compressed()).isFalse();
      assertThat(echo.text()).isEqualTo("4hello");
    }
  }
}
