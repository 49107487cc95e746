package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.server.DisconnectReason;
import io.parley.server.SocketIoServer;
import io.parley.spring.SocketIoConfigurer;
import io.socket.client.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application with the starter on its classpath: Socket.IO answers on the
 * application's own port next to its REST controller, configured by a {@link SocketIoConfigurer}
 * bean, a controller can emit through the injected server, and {@code parley.*} properties take
 * effect on the wire (handshake values, CORS, the event rate limit, the room limit).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "parley.ping-interval=10s", "parley.ping-timeout=7s",
        "parley.max-http-buffer-size=500KB", "parley.cors.allowed-origins=https://app.example",
        "parley.cors.allow-credentials=true", "parley.limits.event-rate.per-second=1",
        "parley.limits.event-rate.burst=3", "parley.limits.event-rate.action=disconnect",
        "parley.limits.max-rooms-per-socket=3"})
@Timeout(30)
class SpringBootStarterTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @RestController
  static class App {
    @Autowired SocketIoServer io;
    final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();

    @GetMapping("/api/hello")
    String hello() {
      return "hello from Spring MVC";
    }

    @GetMapping("/api/announce")
    String announce() {
      io.emit("announcement", "from a controller");
      return "sent";
    }

    @Bean
    SocketIoConfigurer echo() {
      return io -> io.onConnection(socket -> {
        socket.on("echo", (args, ack) -> ack.send(args.get(0).asText()));
        socket.on("join", (args, ack) -> {
          try {
            socket.join(args.get(0).asText());
            ack.send("joined");
          } catch (IllegalStateException e) {
            ack.send("refused");
          }
        });
        socket.onDisconnect(disconnects::add);
      });
    }

    public static void main(String[] args) {
      SpringApplication.run(App.class, args);
    }
  }

  @LocalServerPort int port;
  @Autowired App app;
  private final Clients clients = new Clients();

  @AfterEach
  void close() {
    clients.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void socketIoAndTheApplicationShareOnePort(String transports) throws Exception {
    Socket s = clients.connect(url("/"), transports.split(","));
    assertThat(Clients.emitWithAck(s, "echo", "hi")).isEqualTo("hi");
    assertThat(Clients.get(url("/api/hello")).body()).isEqualTo("hello from Spring MVC");
    CompletableFuture<String> announced = Clients.next(s, "announcement");
    assertThat(Clients.get(url("/api/announce")).body()).isEqualTo("sent");
    assertThat(announced.get(10, TimeUnit.SECONDS)).isEqualTo("from a controller");
  }

  @Test
  void theHandshakeCarriesTheConfiguredValues() throws Exception {
    String body = Clients.get(url("/socket.io/?EIO=4&transport=polling")).body();
    JSONObject handshake = new JSONObject(body.substring(body.indexOf('{')));
    assertThat(handshake.getInt("pingInterval")).isEqualTo(10_000);
    assertThat(handshake.getInt("pingTimeout")).isEqualTo(7_000);
    assertThat(handshake.getInt("maxPayload")).isEqualTo(500 * 1024);
  }

  @Test
  void corsFromProperties() throws Exception {
    HttpResponse<String> allowed = Clients.get(url("/socket.io/?EIO=4&transport=polling"), "Origin", "https://app.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    HttpResponse<String> other = Clients.get(url("/socket.io/?EIO=4&transport=polling"), "Origin", "https://evil.example");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void theRoomLimitFromProperties() throws Exception {
    Socket s = clients.connect(url("/"));
    // its own room is the first of three
    assertThat(Clients.emitWithAck(s, "join", "a")).isEqualTo("joined");
    assertThat(Clients.emitWithAck(s, "join", "b")).isEqualTo("joined");
    assertThat(Clients.emitWithAck(s, "join", "c")).isEqualTo("refused");
  }

  @Test
  void theEventRateLimitFromProperties() throws Exception {
    Socket s = clients.connect(url("/"));
    for (int i = 0; i < 10; i++) {
      s.emit("echo", "flood " + i);
    }
    // the server closes the connection; the Java client only notices at its next ping, so the
    // server's reason is what is checked
    await().atMost(Duration.ofSeconds(10)).until(() -> app.disconnects.contains(DisconnectReason.TOO_MANY_EVENTS));
  }
}
