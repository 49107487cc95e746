package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.connectError;
import static io.parley.netty.client.ClientKit.fromClient;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.ConnectError;
import io.socket.client.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class ConnectionMiddlewareTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  /** Accepts only the auth token "secret"; remembers the user in socket.data(). */
  private static TestServer tokenChecking(ClientKit kit, BlockingQueue<String> log) {
    return kit.server(io -> {
      io.use(socket -> {
        log.add("first");
        if (!"secret".equals(socket.handshake().auth().path("token").asText())) {
          throw new ConnectError("not authorized", Map.of("reason", "bad token"));
        }
        socket.data().put("user", socket.handshake().auth().path("user").asText());
      });
      io.use(socket -> log.add("second"));
      io.onConnection(socket -> log.add("connected as " + socket.data().get("user")));
    });
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRefusalReachesTheClientAsConnectErrorWithMessageAndData(Transport transport) {
    BlockingQueue<String> log = new LinkedBlockingQueue<>();
    TestServer server = tokenChecking(kit, log);

    Object error = connectError(kit.socket(server, transport, "/", o -> o.auth = Map.of("token", "wrong")));

    assertThat(fromClient(error)).isEqualTo(json("{'message':'not authorized','data':{'reason':'bad token'}}"));
    assertThat(poll(log)).isEqualTo("first");
    assertThat(server.io().sockets().sockets()).isEmpty();
    assertThat(log).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void middlewaresRunInOrderBeforeTheConnectionListener(Transport transport) {
    BlockingQueue<String> log = new LinkedBlockingQueue<>();
    TestServer server = tokenChecking(kit, log);

    Socket client = kit.connect(server, transport, "/", o -> o.auth = Map.of("token", "secret", "user", "ada"));

    assertThat(List.of(poll(log), poll(log), poll(log))).containsExactly("first", "second", "connected as ada");
    assertThat(serverSocket(server, client).data()).containsEntry("user", "ada");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPlainExceptionGivesItsMessageAndNoData(Transport transport) {
    TestServer server = kit.server(io -> io.use(socket -> {
      throw new IllegalStateException("database down");
    }));

    Object error = connectError(kit.socket(server, transport, "/"));

    assertThat(fromClient(error)).isEqualTo(json("{'message':'database down'}"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMiddlewareMayBlock(Transport transport) {
    TestServer server = kit.server(io -> io.use(socket -> {
      CompletableFuture<String> slowLookup = CompletableFuture.supplyAsync(() -> "ok",
          CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS));
      socket.data().put("lookup", slowLookup.get());
    }));

    Socket client = kit.connect(server, transport);

    assertThat(serverSocket(server, client).data()).containsEntry("lookup", "ok");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aNamespaceMiddlewareOnlyGuardsItsNamespace(Transport transport) {
    TestServer server = kit.server(io -> io.of("/admin").use(socket -> {
      if (!"admin".equals(socket.handshake().auth().path("role").asText())) {
        throw new ConnectError("admins only");
      }
    }));

    Socket main = kit.connect(server, transport);
    Object refused = connectError(kit.socket(server, transport, "/admin"));
    Socket admin = kit.connect(server, transport, "/admin", o -> o.auth = Map.of("role", "admin"));

    assertThat(main.connected()).isTrue();
    assertThat(fromClient(refused)).isEqualTo(json("{'message':'admins only'}"));
    assertThat(server.io().of("/admin").sockets()).containsOnlyKeys(admin.id());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRefusedNamespaceDoesNotDisturbTheOtherOnTheSameConnection(Transport transport) {
    TestServer server = kit.server(io -> {
      io.of("/closed").use(socket -> {
        throw new ConnectError("closed");
      });
      io.onConnection(s -> s.on("ping", (args, ack) -> ack.send("pong")));
    });
    Socket main = kit.connect(server, transport);

    Object refused = connectError(main.io().socket("/closed"));

    assertThat(fromClient(refused)).isEqualTo(json("{'message':'closed'}"));
    CompletableFuture<Object[]> pong = new CompletableFuture<>();
    main.emit("ping", new Object[0], ClientKit.ack(pong));
    assertThat(await(pong)).containsExactly("pong");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPacketMiddlewareRejectsAnEventBeforeItsListener(Transport transport) {
    BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.use((event, args) -> {
        if (event.equals("forbidden")) {
          throw new IllegalArgumentException("forbidden event: " + args.get(0).asText());
        }
      });
      s.onError(errors::add);
      s.on("forbidden", (args, ack) -> handled.add("forbidden"));
      s.on("allowed", (args, ack) -> handled.add("allowed " + args.get(0).asText()));
    }));
    Socket client = kit.connect(server, transport);

    client.emit("forbidden", "x");
    client.emit("allowed", "y");

    assertThat(poll(handled)).isEqualTo("allowed y");
    assertThat(handled).isEmpty();
    Throwable error = poll(errors);
    assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessage("forbidden event: x");
    assertThat(errors).isEmpty();
    assertThat(client.connected()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPacketMiddlewareSeesTheArgumentsAndCanPassThem(Transport transport) {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.use((event, args) -> seen.add("middleware " + event + " " + args.get(0)));
      s.on("hello", (args, ack) -> ack.send("hi " + args.get(0).asText()));
    }));
    Socket client = kit.connect(server, transport);

    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    client.emit("hello", new Object[] {"ada"}, ClientKit.ack(reply));

    assertThat(await(reply)).containsExactly("hi ada");
    assertThat(poll(seen)).isEqualTo("middleware hello \"ada\"");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aListenerExceptionGoesToOnErrorAndTheSocketStaysUp(Transport transport) {
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.onError(errors::add);
      s.on("boom", (args, ack) -> {
        throw new IllegalStateException("listener failed");
      });
      s.on("ping", (args, ack) -> ack.send("pong"));
    }));
    Socket client = connect(kit.socket(server, transport, "/"));

    client.emit("boom");
    CompletableFuture<Object[]> pong = new CompletableFuture<>();
    client.emit("ping", new Object[0], ClientKit.ack(pong));

    assertThat(poll(errors)).isInstanceOf(IllegalStateException.class).hasMessage("listener failed");
    assertThat(await(pong)).containsExactly("pong");
  }
}
