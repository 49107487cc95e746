package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.awaitUntil;
import static io.parley.netty.client.ClientKit.bytes;
import static io.parley.netty.client.ClientKit.clientTransport;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.once;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.rawGet;
import static io.parley.netty.client.ClientKit.record;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.engine.EngineOptions;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.ServerOptions;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class TransportsAndUpgradeTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerSeesTheTransportTheClientChose(Transport transport) {
    TestServer server = kit.server(io -> { });

    Socket client = kit.connect(server, transport);

    io.parley.server.Socket socket = serverSocket(server, client);
    assertThat(socket.handshake().query()).containsEntry("transport", transport.initial());
    awaitUntil(() -> socket.transport().equals(transport.settled()));
    awaitUntil(() -> transport.settled().equals(clientTransport(client)));
  }

  @Test
  void aPollingOnlyClientNeverUpgrades() {
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray()))));
    Socket client = kit.connect(server, Transport.POLLING);
    io.parley.server.Socket socket = serverSocket(server, client);

    for (int i = 0; i < 20; i++) {
      CompletableFuture<Object[]> reply = new CompletableFuture<>();
      client.emit("echo", new Object[] {i}, ClientKit.ack(reply));
      assertThat(await(reply)).containsExactly(i);
    }

    assertThat(socket.transport()).isEqualTo("polling");
    assertThat(clientTransport(client)).isEqualTo("polling");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void burstsOfEventsArriveCompleteAndInOrderBothWays(Transport transport) {
    // With the upgrade preset, the bursts start right at connection, so they cross the upgrade.
    int n = 300;
    BlockingQueue<Integer> atServer = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.on("up", (args, ack) -> atServer.add(args.get(0).asInt()));
      for (int i = 0; i < n; i++) {
        if (i % 50 == 0) {
          s.emit("down", i, bytes(i % 256));
        } else {
          s.emit("down", i);
        }
      }
    }));
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> atClient = record(client, "down");
    connect(client);

    for (int i = 0; i < n; i++) {
      client.emit("up", i);
    }

    for (int i = 0; i < n; i++) {
      Object[] down = poll(atClient);
      assertThat(down[0]).isEqualTo(i);
      if (i % 50 == 0) {
        assertThat((byte[]) down[1]).containsExactly(i % 256);
      }
      assertThat(poll(atServer)).isEqualTo(i);
    }
    awaitUntil(() -> serverSocket(server, client).transport().equals(transport.settled()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void largePayloadsTravelBothWays(Transport transport) {
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray()))));
    Socket client = kit.connect(server, transport);
    String big = "x".repeat(400_000);

    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    client.emit("echo", new Object[] {big}, ClientKit.ack(reply));

    assertThat((String) await(reply)[0]).isEqualTo(big);
  }

  @Test
  void withUpgradesDisallowedTheClientStaysOnPolling() {
    TestServer server = kit.server(ServerOptions.DEFAULT, EngineOptions.builder().allowUpgrades(false).build(), io -> { });

    Socket client = kit.connect(server, Transport.POLLING_WITH_UPGRADE);

    assertThat(json(rawGet(server, "EIO=4&transport=polling").body().substring(1)).get("upgrades"))
        .isEqualTo(json("[]"));
    io.parley.server.Socket socket = serverSocket(server, client);
    CompletableFuture<Object[]> pong = once(client, "pong");
    socket.emit("pong");
    await(pong);
    Awaitility.await().during(Duration.ofMillis(300)).atMost(ClientKit.WAIT)
        .until(() -> socket.transport().equals("polling"));
    assertThat(clientTransport(client)).isEqualTo("polling");
  }

  @Test
  void aServerOfferingOnlyWebSocketRefusesPollingClients() {
    TestServer server = kit.server(ServerOptions.DEFAULT, EngineOptions.builder().transports("websocket").build(), io -> { });

    Object error = ClientKit.connectError(kit.socket(server, Transport.POLLING, "/"));
    Socket ws = kit.connect(server, Transport.WEBSOCKET);

    assertThat(error).isInstanceOf(Exception.class);
    assertThat(ws.connected()).isTrue();
    assertThat(rawGet(server, "EIO=4&transport=polling").statusCode()).isEqualTo(400);
  }

  @Test
  void aServerOfferingOnlyPollingKeepsUpgradingClientsOnPolling() {
    TestServer server = kit.server(ServerOptions.DEFAULT, EngineOptions.builder().transports("polling").build(), io -> { });

    Object error = ClientKit.connectError(kit.socket(server, Transport.WEBSOCKET, "/"));
    Socket client = kit.connect(server, Transport.POLLING_WITH_UPGRADE);

    assertThat(error).isInstanceOf(Exception.class);
    assertThat(json(rawGet(server, "EIO=4&transport=polling").body().substring(1)).get("upgrades"))
        .isEqualTo(json("[]"));
    assertThat(serverSocket(server, client).transport()).isEqualTo("polling");
  }
}
