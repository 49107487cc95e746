package com.example;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.server.SocketIoServer;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.startup.Tomcat;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The application in embedded Tomcat on a free port, and the official Java client over real sockets. */
@Timeout(30)
class MainTest {
  private SocketIoServer io;
  private Tomcat tomcat;
  private int port;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    io = Main.socketIo();
    tomcat = Main.start(0, io);
    port = tomcat.getConnector().getLocalPort();
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    Main.stop(tomcat);
  }

  /** A connected client whose chat:message events complete {@code received}. */
  private Socket connect(CompletableFuture<JSONObject> received, String... transports) throws Exception {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false).setTransports(transports).build();
    Socket client = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    clients.add(client);
    client.on("chat:message", args -> received.complete((JSONObject) args[0]));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    client.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new IllegalStateException(String.valueOf(args[0]))));
    client.connect();
    connected.get(10, TimeUnit.SECONDS);
    return client;
  }

  private static JSONObject send(Socket client, String text) throws Exception {
    CompletableFuture<JSONObject> ack = new CompletableFuture<>();
    client.emit("chat:send", new Object[] {new JSONObject().put("text", text)}, (Ack) args -> ack.complete((JSONObject) args[0]));
    return ack.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theApplicationServletAnswersOnTheSamePort() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("{\"hello\":\"world\"}", response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void aMessageIsAcknowledgedOnEveryTransport(String transports) throws Exception {
    CompletableFuture<JSONObject> received = new CompletableFuture<>();
    Socket client = connect(received, transports.split(","));
    assertTrue(send(client, "one").getBoolean("ok"));
    assertEquals("one", received.get(10, TimeUnit.SECONDS).getString("text"));
    // the server's side of the connection ends on the last transport offered (after the upgrade, if any)
    String last = transports.substring(transports.lastIndexOf(',') + 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        io.sockets().sockets().values().stream().allMatch(s -> s.transport().equals(last)));
    assertTrue(send(client, "two").getBoolean("ok"));
  }

  @Test
  void aMessageReachesEveryoneInTheLobby() throws Exception {
    CompletableFuture<JSONObject> toPolling = new CompletableFuture<>();
    CompletableFuture<JSONObject> toWebSocket = new CompletableFuture<>();
    connect(toPolling, "polling");
    Socket sender = connect(toWebSocket, "websocket");
    assertTrue(send(sender, "hi").getBoolean("ok"));
    assertEquals("hi", toPolling.get(10, TimeUnit.SECONDS).getString("text"));
    assertEquals("hi", toWebSocket.get(10, TimeUnit.SECONDS).getString("text"));
  }
}
