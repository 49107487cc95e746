package com.example;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.netty.ParleyServer;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example server on a free port, and the official Java client over a real socket. */
@Timeout(30)
class MainTest {
  private ParleyServer server;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() throws InterruptedException {
    server = Main.start(0);
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    server.close();
  }

  /** A connected client whose chat:message events complete {@code received}. */
  private Socket connect(CompletableFuture<JSONObject> received, String... transports) throws Exception {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false).setTransports(transports).build();
    Socket client = IO.socket(URI.create("http://127.0.0.1:" + server.port()), options);
    clients.add(client);
    client.on("chat:message", args -> received.complete((JSONObject) args[0]));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    client.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new IllegalStateException(String.valueOf(args[0]))));
    client.connect();
    connected.get(10, TimeUnit.SECONDS);
    return client;
  }

  @Test
  void aMessageIsAcknowledgedAndReachesEveryoneInTheLobby() throws Exception {
    CompletableFuture<JSONObject> toAlice = new CompletableFuture<>();
    CompletableFuture<JSONObject> toBob = new CompletableFuture<>();
    Socket alice = connect(toAlice, "websocket");
    connect(toBob, "polling");   // the other transport: the broadcast crosses both

    CompletableFuture<JSONObject> ack = new CompletableFuture<>();
    alice.emit("chat:send", new Object[] {new JSONObject().put("text", "hi")}, (Ack) args -> ack.complete((JSONObject) args[0]));

    assertTrue(ack.get(10, TimeUnit.SECONDS).getBoolean("ok"));
    assertEquals("hi", toAlice.get(10, TimeUnit.SECONDS).getString("text"));
    assertEquals("hi", toBob.get(10, TimeUnit.SECONDS).getString("text"));
  }

  @Test
  void thePollingTransportUpgradesToWebSocket() throws Exception {
    CompletableFuture<JSONObject> received = new CompletableFuture<>();
    Socket client = connect(received, "polling", "websocket");
    // the server's side of the connection: on polling first, then on WebSocket once the client upgraded
    await().atMost(Duration.ofSeconds(10)).until(() ->
        server.io().sockets().sockets().values().stream().allMatch(s -> s.transport().equals("websocket")));
    CompletableFuture<JSONObject> ack = new CompletableFuture<>();
    client.emit("chat:send", new Object[] {new JSONObject().put("text", "after the upgrade")}, (Ack) args -> ack.complete((JSONObject) args[0]));
    assertTrue(ack.get(10, TimeUnit.SECONDS).getBoolean("ok"));
    assertEquals("after the upgrade", received.get(10, TimeUnit.SECONDS).getString("text"));
  }
}
