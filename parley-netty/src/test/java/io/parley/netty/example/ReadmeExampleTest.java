package io.parley.netty.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ParleyServer;
import io.parley.server.ConnectError;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API example of the README, kept compiling and working: change both together. */
@Timeout(20)
class ReadmeExampleTest {
  record ChatMessage(String room, String text) {}

  static ParleyServer example() {
    // --- README example start ---
    ParleyServer server = ParleyServer.builder().port(0).build();
    var io = server.io();

    io.use(socket -> {                                   // connection middleware
      if (!"secret".equals(socket.handshake().auth().path("token").asText())) {
        throw new ConnectError("not authorized", Map.of("code", "AUTH_REQUIRED"));
      }
    });

    io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("chat:send", ChatMessage.class, (msg, ack) -> {   // typed payload, may block
        io.to(msg.room()).emit("chat:message", msg);              // broadcast, encoded once
        ack.send(Map.of("ok", true));                             // acknowledgement
      });
      socket.timeout(Duration.ofSeconds(5)).emitWithAck("whoami")  // server → client ack
          .thenAccept(reply -> socket.data().put("name", reply.get(0).asText()));
      socket.onDisconnect(reason -> System.out.println(socket.id() + " left: " + reason));
    });
    // --- README example end ---
    return server;
  }

  @Test
  void theReadmeExampleServesTheOfficialClient() throws Exception {
    ParleyServer server = example();
    server.start();
    Socket client = IO.socket(URI.create("http://127.0.0.1:" + server.port()),
        IO.Options.builder().setAuth(Map.of("token", "secret")).setForceNew(true).build());
    try {
      CompletableFuture<JSONObject> message = new CompletableFuture<>();
      CompletableFuture<JSONObject> ack = new CompletableFuture<>();
      client.on("whoami", args -> ((io.socket.client.Ack) args[0]).call("alice"));
      client.on("chat:message", args -> message.complete((JSONObject) args[0]));
      client.on(Socket.EVENT_CONNECT, args -> client.emit("chat:send",
          new JSONObject(Map.of("room", "lobby", "text", "hi")), (io.socket.client.Ack) a -> ack.complete((JSONObject) a[0])));
      client.connect();
      assertThat(message.get(5, TimeUnit.SECONDS).getString("text")).isEqualTo("hi");
      assertThat(ack.get(5, TimeUnit.SECONDS).getBoolean("ok")).isTrue();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
          server.io().sockets().sockets().values().stream().anyMatch(s -> "alice".equals(s.data().get("name"))));
    } finally {
      client.close();
      server.close();
    }
  }
}
