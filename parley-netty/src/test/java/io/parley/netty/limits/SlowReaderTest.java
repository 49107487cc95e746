package io.parley.netty.limits;

import io.parley.netty.testkit.TestClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.engine.EngineOptions;
import io.parley.netty.ParleyServer;
import io.parley.server.DisconnectReason;
import io.parley.server.EventRateLimit;
import io.parley.server.ServerOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading while the server broadcasts large messages is cut off once its queue
 * passes {@code maxBufferedBytes}, and a client that reads keeps receiving every message promptly.
 */
@Timeout(60)
class SlowReaderTest {
  private static final int CAP = 512 * 1024;
  private static final int MESSAGE = 32 * 1024;
  private ParleyServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  /** A client that joins "/" and then reads nothing more: what the server sends backs up in TCP. */
  private static TestClient.Ws stalled(ParleyServer server) {
    TestClient.Ws ws = TestClient.to(server).websocket();
    ws.send("40");
    ws.stopReading();
    return ws;
  }

  @Test
  void aClientThatNeverReadsIsDisconnectedAtItsCapWhileOthersKeepTheirLatency() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .engine(EngineOptions.builder().maxBufferedBytes(CAP).build())
        .server(ServerOptions.builder().eventRateLimit(EventRateLimit.OFF).build()).build();
    ConcurrentHashMap<String, CompletableFuture<DisconnectReason>> reasons = new ConcurrentHashMap<>();
    server.io().onConnection(s -> {
      CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
      reasons.put(s.id(), reason);
      s.onDisconnect(reason::complete);
    });
    server.start();

    try (TestClient.Ws reader = TestClient.to(server).socketIo();
        TestClient.Ws stalled = stalled(server)) {
      // Wait until both sockets joined "/".
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> server.io().sockets().sockets().size() == 2);
      String pad = "x".repeat(MESSAGE);
      int count = 400; // 12.8 MB in all: far beyond the cap and the kernel's socket buffers
      long worstLatencyNanos = 0;
      int received = 0;
      for (int i = 0; i < count; i++) {
        long sentAt = System.nanoTime();
        server.io().emit("big", i, pad);
        // The reading client gets each message before the next is sent: its latency stays low
        // while the stalled client's queue grows on the server.
        reader.awaitText(f -> f.startsWith("42[\"big\","));
        worstLatencyNanos = Math.max(worstLatencyNanos, System.nanoTime() - sentAt);
        received++;
      }
      assertThat(received).isEqualTo(count);
      assertThat(TimeUnit.NANOSECONDS.toMillis(worstLatencyNanos)).isLessThan(1000);

      // The stalled socket was cut off with Parley's reason, the reader was not.
      assertThat(reasons.values().stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
          .containsExactly(DisconnectReason.SLOW_CLIENT);
      assertThat(server.io().sockets().sockets()).hasSize(1);
      assertThat(server.sessionCount()).isEqualTo(1);
    }
  }
}
