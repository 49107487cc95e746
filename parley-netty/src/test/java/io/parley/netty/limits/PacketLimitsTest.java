package io.parley.netty.limits;

import io.parley.netty.testkit.TestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.engine.EngineOptions;
import io.parley.netty.ParleyServer;
import io.parley.server.DisconnectReason;
import io.parley.server.EventRateLimit;
import io.parley.server.ServerOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every per-packet and per-socket limit, each refusing only the offender. */
@Timeout(30)
class PacketLimitsTest {
  private ParleyServer server;
  private final AtomicInteger echoed = new AtomicInteger();

  private void start(EngineOptions engine, ServerOptions options) throws InterruptedException {
    server = ParleyServer.builder().host("127.0.0.1").port(0).engine(engine).server(options).build();
    server.io().onConnection(s -> s.on("echo", (args, ack) -> {
      echoed.incrementAndGet();
      ack.send(args.toArray());
    }));
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  @Test
  void aPayloadNestedDeeperThanTheLimitClosesOnlyItsConnection() throws Exception {
    start(EngineOptions.DEFAULT, ServerOptions.builder().maxPayloadDepth(20).build());
    try (TestClient.Ws bad = TestClient.to(server).socketIo();
        TestClient.Ws good = TestClient.to(server).socketIo()) {
      // depth 20 counting the event array itself: accepted
      bad.send("421[\"echo\"," + nested(19).substring(1, nested(19).length() - 1) + "]");
      assertThat(bad.awaitText(f -> f.startsWith("431["))).startsWith("431[");
      bad.send("422[\"echo\"," + nested(21) + "]");
      assertThat(bad.closed().get(5, TimeUnit.SECONDS)).isNotNull();
      good.send("423[\"echo\",\"still here\"]");
      assertThat(good.awaitText(f -> f.startsWith("433["))).isEqualTo("433[\"still here\"]");
    }
  }

  @Test
  void aWebSocketMessageOverMaxHttpBufferSizeClosesOnlyItsConnection() throws Exception {
    start(EngineOptions.builder().maxHttpBufferSize(10_000).build(), ServerOptions.DEFAULT);
    try (TestClient.Ws bad = TestClient.to(server).socketIo();
        TestClient.Ws good = TestClient.to(server).socketIo()) {
      bad.send("42[\"echo\",\"" + "x".repeat(20_000) + "\"]");
      assertThat(bad.closed().get(5, TimeUnit.SECONDS)).isEqualTo(1009);
      good.send("421[\"echo\",\"" + "y".repeat(9_000) + "\"]");
      assertThat(good.awaitText(f -> f.startsWith("431["))).hasSize(9_000 + 7);
    }
  }

  @Test
  void aConnectionCannotJoinMoreNamespacesThanTheLimit() throws Exception {
    start(EngineOptions.DEFAULT, ServerOptions.builder().maxNamespacesPerConnection(2).build());
    server.io().of("/a");
    server.io().of("/b");
    try (TestClient.Ws c = TestClient.to(server).socketIo()) {
      c.send("40/a,");
      assertThat(c.awaitText(f -> f.startsWith("40/a,"))).startsWith("40/a,{\"sid\"");
      c.send("40/b,");
      assertThat(c.awaitText(f -> f.startsWith("44/b,")))
          .isEqualTo("44/b,{\"message\":\"Too many namespaces on one connection\"}");
      c.send("421[\"echo\",1]");
      assertThat(c.awaitText(f -> f.startsWith("431["))).isEqualTo("431[1]");
    }
  }

  @Test
  void aSocketCannotJoinMoreRoomsThanTheLimit() throws Exception {
    start(EngineOptions.DEFAULT, ServerOptions.builder().maxRoomsPerSocket(3).build());
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    CompletableFuture<java.util.Set<String>> rooms = new CompletableFuture<>();
    server.io().onConnection(s -> {
      s.join("a", "b", "a"); // with its own room: 3, the limit; a repeated name counts once
      try {
        s.join("c");
      } catch (IllegalStateException e) {
        refused.complete(e);
      }
      rooms.complete(s.rooms());
    });
    try (TestClient.Ws c = TestClient.to(server).socketIo()) {
      assertThat(refused.get(5, TimeUnit.SECONDS)).hasMessageContaining("the limit is 3");
      assertThat(rooms.get(5, TimeUnit.SECONDS)).hasSize(3).contains("a", "b");
    }
  }

  @Test
  void eventsOverTheRateAreDroppedWhileTheConnectionStays() throws Exception {
    start(EngineOptions.DEFAULT, ServerOptions.builder()
        .eventRateLimit(new EventRateLimit(5, 10, EventRateLimit.Action.DROP)).build());
    try (TestClient.Ws c = TestClient.to(server).socketIo()) {
      for (int i = 0; i < 50; i++) {
        c.send("42" + i + "[\"echo\"," + i + "]");
      }
      c.send("4299[\"echo\",\"after\"]"); // may itself be dropped; wait for a fresh token
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
        c.send("42[\"echo\",\"probe\"]");
        return c.received().stream().anyMatch(f -> f instanceof String t && t.startsWith("43"));
      });
      assertThat(echoed.get()).isBetween(10, 20); // the burst, plus what refilled meanwhile
      assertThat(c.closed()).isNotDone();
    }
  }

  @Test
  void withTheDisconnectActionAFloodClosesTheConnection() throws Exception {
    start(EngineOptions.DEFAULT, ServerOptions.builder()
        .eventRateLimit(new EventRateLimit(5, 10, EventRateLimit.Action.DISCONNECT)).build());
    CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
    server.io().onConnection(s -> s.onDisconnect(reason::complete));
    try (TestClient.Ws c = TestClient.to(server).socketIo()) {
      try {
        for (int i = 0; i < 50 && !c.closed().isDone(); i++) {
          c.send("42[\"echo\"," + i + "]");
        }
      } catch (java.io.UncheckedIOException e) {
        // the server closed the connection mid-flood: what this test wants
      }
      assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.TOO_MANY_EVENTS);
      assertThat(c.closed().get(5, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void limitsRefuseNonsense() {
    assertThatThrownBy(() -> new EventRateLimit(5, 0, EventRateLimit.Action.DROP))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(EventRateLimit.OFF.enabled()).isFalse();
  }
}
