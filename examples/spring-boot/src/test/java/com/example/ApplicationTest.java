package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.server.SocketIoServer;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application on a random port: Spring MVC and Socket.IO answer on that one port, the
 * Socket.IO side reached by the official Java client over each transport.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(30)
class ApplicationTest {
  @LocalServerPort int port;
  @Autowired SocketIoServer io;
  private final List<Socket> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Socket::close);
    // every socket gone before the next test counts them
    await().atMost(Duration.ofSeconds(10)).until(() -> io.sockets().sockets().isEmpty());
  }

  private Socket connect(String... transports) throws Exception {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false).setTransports(transports).build();
    Socket client = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    clients.add(client);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    client.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new IllegalStateException(String.valueOf(args[0]))));
    client.connect();
    connected.get(10, TimeUnit.SECONDS);
    return client;
  }

  private static JSONObject echo(Socket client, JSONObject data) throws Exception {
    CompletableFuture<JSONObject> reply = new CompletableFuture<>();
    client.emit("bench:echo", new Object[] {data}, (Ack) args -> reply.complete((JSONObject) args[0]));
    return reply.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theRestEndpointAnswersOnTheSamePort() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body()).isEqualTo("{\"hello\":\"world\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void benchEchoAcknowledgesWithTheData(String transports) throws Exception {
    Socket client = connect(transports.split(","));
    assertThat(echo(client, new JSONObject().put("n", 1)).getInt("n")).isEqualTo(1);
    // the server's side of the connection ends on the last transport offered (after the upgrade, if any)
    String last = transports.substring(transports.lastIndexOf(',') + 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        io.sockets().sockets().values().stream().allMatch(s -> s.transport().equals(last)));
    assertThat(io.sockets().sockets()).hasSize(1);
    assertThat(echo(client, new JSONObject().put("n", 2)).getInt("n")).isEqualTo(2);
  }

  @Test
  void benchBroadcastReachesEveryClient() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    Socket polling = connect("polling");
    Socket websocket = connect("websocket");
    polling.on("bench:msg", args -> received.add("polling " + args[0]));
    websocket.on("bench:msg", args -> received.add("websocket " + args[0]));

    websocket.emit("bench:broadcast", "hello");

    assertThat(List.of(received.poll(10, TimeUnit.SECONDS), received.poll(10, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("polling hello", "websocket hello");
  }
}
