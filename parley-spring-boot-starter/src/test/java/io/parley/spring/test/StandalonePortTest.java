package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.netty.ParleyServer;
import io.parley.server.DisconnectReason;
import io.parley.server.SocketIoServer;
import io.parley.spring.OnDisconnect;
import io.parley.spring.OnEvent;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code parley.port}: Socket.IO served by parley-netty's ParleyServer on a port of its own,
 * started and stopped with the context, while the application's own port serves only the
 * application; and the same in an application with no web server at all.
 */
@SpringBootTest(classes = StandalonePortTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "parley.port=0", "parley.host=127.0.0.1", "parley.ping-interval=9s"})
@Timeout(30)
class StandalonePortTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @RestController
  @Import(Handlers.class)
  static class App {
    @GetMapping("/api/hello")
    String hello() {
      return "hello";
    }
  }

  static class Handlers {
    final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();

    @OnEvent("echo")
    String echo(String text) {
      return text;
    }

    @OnDisconnect
    void left(DisconnectReason reason) {
      disconnects.add(reason);
    }
  }

  @LocalServerPort int appPort;
  @Autowired ParleyServer server;
  @Autowired SocketIoServer io;
  private final Clients clients = new Clients();

  @AfterEach
  void close() {
    clients.close();
  }

  @Test
  void socketIoOnItsOwnPort() throws Exception {
    assertThat(server.port()).isNotEqualTo(appPort);
    assertThat(io).isSameAs(server.io());
    Socket s = clients.connect("http://127.0.0.1:" + server.port(), "polling", "websocket");
    assertThat(Clients.emitWithAck(s, "echo", "over netty")).isEqualTo("over netty");
    assertThat(Clients.get("http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling").body())
        .contains("\"pingInterval\":9000");
  }

  @Test
  void theApplicationPortDoesNotServeSocketIo() throws Exception {
    assertThat(Clients.get("http://127.0.0.1:" + appPort + "/api/hello").body()).isEqualTo("hello");
    assertThat(Clients.get("http://127.0.0.1:" + appPort + "/socket.io/?EIO=4&transport=polling").statusCode())
        .isEqualTo(404);
  }

  /** No web server at all: the context starts the standalone server and, closing, stops it. */
  @Test
  void aNonWebApplicationStartsAndStopsTheServer() throws Exception {
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(NonWeb.class).web(WebApplicationType.NONE)
        .properties("parley.port=0", "parley.host=127.0.0.1", "parley.ping-interval=500ms", "parley.ping-timeout=500ms")
        .run();
    Handlers handlers = ctx.getBean(Handlers.class);
    int port;
    try {
      port = ctx.getBean(ParleyServer.class).port();
      Socket s = clients.connect("http://127.0.0.1:" + port);
      assertThat(Clients.emitWithAck(s, "echo", "no web server")).isEqualTo("no web server");
      CompletableFuture<String> gone = Clients.next(s, Socket.EVENT_DISCONNECT);
      ctx.close();
      // engine.io-client-java ignores a close frame it did not ask for: it notices at its next pong or ping timeout
      assertThat(gone.get(10, TimeUnit.SECONDS)).isIn("transport close", "transport error", "ping timeout");
    } finally {
      ctx.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> handlers.disconnects.contains(DisconnectReason.SERVER_SHUTTING_DOWN));
    int closed = port;
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new java.net.Socket("127.0.0.1", closed).close()))
        .isInstanceOf(java.net.ConnectException.class);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Handlers.class)
  static class NonWeb {}
}
