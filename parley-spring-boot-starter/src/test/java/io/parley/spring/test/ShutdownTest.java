package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.DisconnectReason;
import io.parley.spring.OnDisconnect;
import io.parley.spring.OnEvent;
import io.parley.spring.ParleyHealthIndicator;
import io.parley.spring.ParleyLifecycle;
import io.socket.client.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Closing the application context closes Socket.IO first: every socket is disconnected with
 * {@code server shutting down} while the web server still serves, and a graceful shutdown of the
 * web server is not held up by Parley's parked long-polls; once closed, new sessions get 503.
 */
@Timeout(60)
class ShutdownTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @RestController
  @Import(Handlers.class)
  static class App {
    @GetMapping("/api/hello")
    String hello() {
      return "still serving";
    }
  }

  /** Records, per socket, the reason and whether the application's port still answered then. */
  static class Handlers {
    final Map<String, String> seen = new ConcurrentHashMap<>();
    volatile int port;

    @OnEvent("whoami")
    String whoami(io.parley.server.Socket socket) {
      return socket.id();
    }

    @OnDisconnect
    void left(io.parley.server.Socket socket, DisconnectReason reason) {
      String web;
      try {
        web = Clients.get("http://127.0.0.1:" + port + "/api/hello").body();
      } catch (Exception e) {
        web = e.toString();
      }
      seen.put(socket.id(), reason.text() + " / " + web);
    }
  }

  private final Clients clients = new Clients();

  @AfterEach
  void close() {
    clients.close();
  }

  private static ConfigurableApplicationContext start() {
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class).properties("server.port=0",
        "server.address=127.0.0.1", "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=20s",
        // short heartbeats: the Java client notices a closed WebSocket only at its next pong or ping timeout
        "parley.ping-interval=1s", "parley.ping-timeout=1s")
        .run();
    ctx.getBean(Handlers.class).port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    return ctx;
  }

  @Test
  void closingTheContextDisconnectsEveryClientBeforeTheWebServerStops() throws Exception {
    ConfigurableApplicationContext ctx = start();
    Handlers handlers = ctx.getBean(Handlers.class);
    String url = "http://127.0.0.1:" + handlers.port;
    Socket polling = clients.connect(url, "polling");
    Socket websocket = clients.connect(url, "websocket");
    String pollingId = Clients.emitWithAck(polling, "whoami");
    String websocketId = Clients.emitWithAck(websocket, "whoami");
    CompletableFuture<String> pollingGone = Clients.next(polling, Socket.EVENT_DISCONNECT);
    CompletableFuture<String> websocketGone = Clients.next(websocket, Socket.EVENT_DISCONNECT);

    long start = System.nanoTime();
    ctx.close();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // the polling client's parked GET was answered by Parley, not held until the graceful phase timed out (20 s)
    assertThat(tookMs).isLessThan(10_000);
    // a parked GET carries the close packet ("transport close"); without one, the next poll or ping tells
    assertThat(pollingGone.get(10, TimeUnit.SECONDS)).isIn("transport close", "transport error", "ping timeout");
    assertThat(websocketGone.get(10, TimeUnit.SECONDS)).isIn("transport close", "transport error", "ping timeout");
    assertThat(handlers.seen).containsEntry(pollingId, "server shutting down / still serving")
        .containsEntry(websocketId, "server shutting down / still serving");
  }

  @Test
  void onceStoppedNewSessionsAreRefused() throws Exception {
    ConfigurableApplicationContext ctx = start();
    try {
      String url = "http://127.0.0.1:" + ctx.getBean(Handlers.class).port;
      assertThat(Clients.get(url + "/socket.io/?EIO=4&transport=polling").statusCode()).isEqualTo(200);
      ParleyLifecycle lifecycle = ctx.getBean(ParleyLifecycle.class);
      ctx.pause(); // not pauseable: a closed server cannot come back
      assertThat(lifecycle.isRunning()).isTrue();
      assertThat(Clients.get(url + "/socket.io/?EIO=4&transport=polling").statusCode()).isEqualTo(200);
      ctx.restart();
      lifecycle.stop();
      assertThat(lifecycle.isRunning()).isFalse();
      assertThat(ctx.getBean(ParleyHealthIndicator.class).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      HttpResponse<String> refused = Clients.get(url + "/socket.io/?EIO=4&transport=polling");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).isEqualTo("Server shutting down");
      assertThat(Clients.get(url + "/api/hello").body()).isEqualTo("still serving");
    } finally {
      ctx.close();
    }
  }
}
