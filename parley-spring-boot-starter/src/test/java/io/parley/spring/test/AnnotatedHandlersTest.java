package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.DisconnectReason;
import io.parley.server.Socket;
import io.parley.spring.OnConnect;
import io.parley.spring.OnDisconnect;
import io.parley.spring.OnEvent;
import io.parley.spring.ParleyAutoConfiguration;
import io.parley.spring.SocketIoConfigurer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.context.annotation.Import;

/**
 * {@link OnEvent}, {@link OnConnect} and {@link OnDisconnect} methods of an ordinary bean, reached
 * by the official Java client: typed payloads (a record, a generic list, a primitive, binary), the
 * socket, an {@link Ack} parameter or a return value as the ack, another namespace.
 */
@SpringBootTest(classes = AnnotatedHandlersTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.address=127.0.0.1")
@Timeout(30)
class AnnotatedHandlersTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Chat.class)
  static class App {}

  /** The handlers: a plain bean, no Socket.IO code but the annotations. */
  static class Chat {
    record Message(String room, String text) {}

    record Point(int x, int y) {}

    final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();

    @OnConnect
    void welcome(Socket socket) {
      socket.join("lobby");
      socket.emit("welcome", socket.rooms().contains("lobby") ? "in the lobby" : "nowhere");
    }

    @OnEvent("chat:send")
    Map<String, Object> send(Socket socket, Message message) {
      socket.to(message.room()).emit("chat:message", message);
      return Map.of("room", message.room(), "length", message.text().length(), "from", socket.id());
    }

    @OnEvent("path:length")
    int pathLength(List<Point> points, int scale) {
      int n = 0;
      for (int i = 1; i < points.size(); i++) {
        n += Math.abs(points.get(i).x() - points.get(i - 1).x()) + Math.abs(points.get(i).y() - points.get(i - 1).y());
      }
      return n * scale;
    }

    @OnEvent("typing")
    void typing(String room, Ack ack, Socket socket) {
      ack.send("typing in " + room + " " + socket.nsp().name());
    }

    @OnEvent("count")
    String count(Args args) {
      return args.size() + " arguments";
    }

    @OnEvent("bytes")
    int bytes(byte[] data) {
      return data.length;
    }

    @OnEvent("nothing")
    String nothing(String absent) {
      return absent == null ? "null" : absent;
    }

    @OnEvent(value = "where", namespace = "/admin")
    String where(Socket socket) {
      return socket.nsp().name();
    }

    @OnDisconnect
    void left(DisconnectReason reason, Socket socket) {
      disconnects.add(reason);
    }
  }

  @LocalServerPort int port;
  @Autowired Chat chat;
  private final Clients clients = new Clients();

  @AfterEach
  void close() {
    clients.close();
  }

  private String url(String nsp) {
    return "http://127.0.0.1:" + port + nsp;
  }

  @Test
  void aRecordPayloadAndTheReturnValueAsAck() throws Exception {
    io.socket.client.Socket s = clients.connect(url("/"));
    JSONObject reply = new JSONObject(Clients.emitWithAck(s, "chat:send",
        new JSONObject().put("room", "lobby").put("text", "hello")));
    assertThat(reply.getString("room")).isEqualTo("lobby");
    assertThat(reply.getInt("length")).isEqualTo(5);
    assertThat(reply.getString("from")).isNotBlank();
  }

  @Test
  void onConnectRunsBeforeTheClientSeesTheConnection() throws Exception {
    CompletableFuture<String> welcome = new CompletableFuture<>();
    clients.connect(url("/"), s -> s.once("welcome", a -> welcome.complete(String.valueOf(a[0]))));
    assertThat(welcome.get(10, TimeUnit.SECONDS)).isEqualTo("in the lobby");
  }

  @Test
  void genericAndPrimitiveParameters() throws Exception {
    io.socket.client.Socket s = clients.connect(url("/"), "polling");
    JSONArray path = new JSONArray().put(new JSONObject().put("x", 0).put("y", 0))
        .put(new JSONObject().put("x", 3).put("y", 4)).put(new JSONObject().put("x", 3).put("y", 0));
    assertThat(Clients.emitWithAck(s, "path:length", path, 10)).isEqualTo("110");
  }

  @Test
  void anAckParameterAndTheSocket() throws Exception {
    io.socket.client.Socket s = clients.connect(url("/"));
    assertThat(Clients.emitWithAck(s, "typing", "lobby")).isEqualTo("typing in lobby /");
  }

  @Test
  void argsBinaryAndMissingArguments() throws Exception {
    io.socket.client.Socket s = clients.connect(url("/"));
    assertThat(Clients.emitWithAck(s, "count", 1, "two", true)).isEqualTo("3 arguments");
    assertThat(Clients.emitWithAck(s, "bytes", (Object) new byte[] {1, 2, 3, 4})).isEqualTo("4");
    assertThat(Clients.emitWithAck(s, "nothing")).isEqualTo("null");
  }

  @Test
  void aHandlerOfAnotherNamespace() throws Exception {
    io.socket.client.Socket admin = clients.connect(url("/admin"));
    assertThat(Clients.emitWithAck(admin, "where")).isEqualTo("/admin");
    io.socket.client.Socket main = clients.connect(url("/"));
    // "where" is the admin namespace's only: on "/" nobody answers, and the next ack proves it was skipped
    main.emit("where", new Object[0], (io.socket.client.Ack) a -> { });
    assertThat(Clients.emitWithAck(main, "count")).isEqualTo("0 arguments");
  }

  @Test
  void onDisconnectGetsTheReason() throws Exception {
    int before = chat.disconnects.size();
    io.socket.client.Socket s = clients.connect(url("/"));
    s.disconnect();
    await().atMost(Duration.ofSeconds(10)).until(() -> chat.disconnects.size() > before);
    assertThat(chat.disconnects.get(before)).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
  }

  /** Signatures that cannot work are refused when the application starts, not on the first event. */
  @Test
  void badSignaturesFailAtStartup() {
    ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
        .withPropertyValues("parley.port=0");
    runner.withUserConfiguration(AckAndReturn.class).run(ctx ->
        assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("takes an Ack and returns a value"));
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
        .withUserConfiguration(ConfigurerOnly.class).run(ctx -> assertThat(
            NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("needs a Socket.IO server"));
    runner.withUserConfiguration(ConnectWithPayload.class).run(ctx ->
        assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("is not one it can take"));
  }

  @Configuration(proxyBeanMethods = false)
  static class AckAndReturn {
    @Bean
    Object handler() {
      return new Object() {
        @OnEvent("x")
        String x(Ack ack) {
          return "both";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ConfigurerOnly {
    @Bean
    SocketIoConfigurer configurer() {
      return io -> { };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ConnectWithPayload {
    @Bean
    Object handler() {
      return new Object() {
        @OnConnect
        void x(String payload) {}
      };
    }
  }
}
