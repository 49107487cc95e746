package io.parley.spring.test;

import io.parley.spring.SocketIoConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.SocketIoServer;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application with the starter on its classpath: Socket.IO answers on the
 * application's own port next to its REST controller, configured by a {@link SocketIoConfigurer}
 * bean, and a controller can emit through the injected server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "parley.ping-interval=10s"})
@Timeout(30)
class SpringBootStarterTest {
  @SpringBootApplication
  @RestController
  static class App {
    @Autowired SocketIoServer io;

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
      return io -> io.onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0).asText())));
    }

    public static void main(String[] args) {
      SpringApplication.run(App.class, args);
    }
  }

  @LocalServerPort int port;
  private Socket client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  private Socket connect(String... transports) throws Exception {
    IO.Options o = new IO.Options();
    o.transports = transports;
    o.reconnection = false;
    o.forceNew = true;
    client = IO.socket(URI.create("http://127.0.0.1:" + port), o);
    CompletableFuture<Void> up = new CompletableFuture<>();
    client.once(Socket.EVENT_CONNECT, a -> up.complete(null));
    client.once(Socket.EVENT_CONNECT_ERROR, a -> up.completeExceptionally(new IllegalStateException(String.valueOf(a[0]))));
    client.connect();
    up.get(10, TimeUnit.SECONDS);
    return client;
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void socketIoAndTheApplicationShareOnePort(String transports) throws Exception {
    Socket s = connect(transports.split(","));
    CompletableFuture<String> reply = new CompletableFuture<>();
    s.emit("echo", new Object[] {"hi"}, (Ack) a -> reply.complete(String.valueOf(a[0])));
    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("hi");
    assertThat(get("/api/hello")).isEqualTo("hello from Spring MVC");
    CompletableFuture<String> announced = new CompletableFuture<>();
    s.on("announcement", a -> announced.complete(String.valueOf(a[0])));
    assertThat(get("/api/announce")).isEqualTo("sent");
    assertThat(announced.get(10, TimeUnit.SECONDS)).isEqualTo("from a controller");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/socket.io/?EIO=4&transport=polling"})
  void theHandshakeCarriesTheConfiguredPingInterval(String path) throws Exception {
    assertThat(get(path)).contains("\"pingInterval\":10000");
  }
}
