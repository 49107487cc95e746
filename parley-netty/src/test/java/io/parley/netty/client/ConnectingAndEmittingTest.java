package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.fromClient;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.jsonArray;
import static io.parley.netty.client.ClientKit.jsonObject;
import static io.parley.netty.client.ClientKit.once;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.record;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.Args;
import io.parley.server.Handshake;
import io.socket.client.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.json.JSONObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class ConnectingAndEmittingTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  record Point(int x, int y) {}

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientAndTheServerAgreeOnTheSocketId(Transport transport) {
    BlockingQueue<io.parley.server.Socket> connected = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(connected::add));

    Socket client = kit.connect(server, transport);

    io.parley.server.Socket socket = poll(connected);
    assertThat(client.id()).isEqualTo(socket.id()).hasSize(20).matches("[A-Za-z0-9_-]{20}");
    assertThat(socket.connected()).isTrue();
    assertThat(socket.nsp().name()).isEqualTo("/");
    assertThat(socket.connectionId()).isNotEqualTo(socket.id());
    assertThat(server.io().sockets().sockets()).containsOnlyKeys(socket.id());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void jsonValuesTravelFromTheClientToTheServer(Transport transport) {
    CompletableFuture<Args> received = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("data", (args, ack) -> received.complete(args))));
    Socket client = kit.connect(server, transport);

    client.emit("data",
        jsonObject("{'name':'ada','tags':['x','y'],'nested':{'n':1,'none':null},'ok':true}"),
        jsonArray("[1,'two',3.5,null,[false]]"),
        42, -7, 1.5, 12345678901L, "text with ünïcödé and \"quotes\"", "", JSONObject.NULL, true, false);

    Args args = await(received);
    assertThat(args.asList()).containsExactly(
        json("{'name':'ada','tags':['x','y'],'nested':{'n':1,'none':null},'ok':true}"),
        json("[1,'two',3.5,null,[false]]"),
        json("42"), json("-7"), json("1.5"), json("12345678901"),
        TextNode.valueOf("text with ünïcödé and \"quotes\""), TextNode.valueOf(""),
        json("null"), json("true"), json("false"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void jsonValuesTravelFromTheServerToTheClient(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = kit.socket(server, transport, "/");
    CompletableFuture<Object[]> received = once(client, "data");
    connect(client);

    serverSocket(server, client).emit("data",
        Map.of("name", "ada", "tags", List.of("x", "y")),
        List.of(1, "two", 3.5),
        42, -7, 1.5, 12345678901L, "ünïcödé", null, true, new Point(3, 4),
        json("{'nested':{'none':null,'list':[null,1]}}"));

    assertThat(fromClient(await(received))).containsExactly(
        json("{'name':'ada','tags':['x','y']}"),
        json("[1,'two',3.5]"),
        json("42"), json("-7"), json("1.5"), json("12345678901"),
        json("'ünïcödé'"), json("null"), json("true"), json("{'x':3,'y':4}"),
        json("{'nested':{'none':null,'list':[null,1]}}"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anEventWithoutArgumentsArrivesWithoutArguments(Transport transport) {
    CompletableFuture<Args> atServer = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("ping", (args, ack) -> {
      atServer.complete(args);
      s.emit("pong");
    })));
    Socket client = kit.socket(server, transport, "/");
    CompletableFuture<Object[]> pong = once(client, "pong");
    connect(client);

    client.emit("ping");

    assertThat(await(atServer).isEmpty()).isTrue();
    assertThat(await(pong)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eventsArriveInTheOrderTheyWereSent(Transport transport) {
    BlockingQueue<Integer> atServer = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("n", (args, ack) -> {
      atServer.add(args.get(0).asInt());
      s.emit("n", args.get(0).asInt());
    })));
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> atClient = record(client, "n");
    connect(client);

    for (int i = 0; i < 100; i++) {
      client.emit("n", i);
    }

    for (int i = 0; i < 100; i++) {
      assertThat(poll(atServer)).isEqualTo(i);
      assertThat(poll(atClient)).containsExactly(i);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTypedListenerGetsItsFirstArgumentMapped(Transport transport) {
    CompletableFuture<Point> received = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s ->
        s.on("point", Point.class, (p, ack) -> received.complete(p))));
    Socket client = kit.connect(server, transport);

    client.emit("point", jsonObject("{'x':3,'y':-4}"));

    assertThat(await(received)).isEqualTo(new Point(3, -4));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theHandshakeCarriesAuthQueryAndHeaders(Transport transport) {
    CompletableFuture<Handshake> handshake = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> handshake.complete(s.handshake())));

    kit.connect(server, transport, "/", o -> {
      o.auth = Map.of("token", "abc", "user", "ada");
      o.query = "room=lobby&lang=fr";
      o.extraHeaders = Map.of("X-Parley-Test", List.of("yes"));
    });

    Handshake h = await(handshake);
    assertThat(h.auth()).isEqualTo(json("{'token':'abc','user':'ada'}"));
    assertThat(h.query()).containsEntry("room", "lobby").containsEntry("lang", "fr")
        .containsEntry("EIO", "4").containsEntry("transport", transport.initial());
    assertThat(h.headers()).containsEntry("x-parley-test", "yes")
        .containsEntry("host", "127.0.0.1:" + server.port());
    assertThat(h.address()).isEqualTo("127.0.0.1");
    assertThat(h.secure()).isFalse();
    assertThat(h.xdomain()).isFalse();
    assertThat(h.url()).startsWith("/socket.io/?").contains("room=lobby");
    assertThat(h.issued()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void withoutAuthTheHandshakeAuthIsAnEmptyObject(Transport transport) {
    CompletableFuture<JsonNode> auth = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> auth.complete(s.handshake().auth())));

    kit.connect(server, transport);

    assertThat(await(auth)).isEqualTo(json("{}"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void severalNamespacesShareOneConnection(Transport transport) {
    BlockingQueue<io.parley.server.Socket> connected = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> {
      io.onConnection(connected::add);
      io.of("/admin").onConnection(s -> {
        connected.add(s);
        s.on("whoami", (args, ack) -> ack.send(s.nsp().name()));
      });
    });
    Socket main = kit.connect(server, transport);
    Socket admin = connect(main.io().socket("/admin"));

    io.parley.server.Socket first = poll(connected);
    io.parley.server.Socket second = poll(connected);
    assertThat(first.nsp().name()).isEqualTo("/");
    assertThat(second.nsp().name()).isEqualTo("/admin");
    assertThat(second.connectionId()).isEqualTo(first.connectionId());
    assertThat(second.id()).isEqualTo(admin.id()).isNotEqualTo(main.id());
    assertThat(server.sessionCount()).isEqualTo(1);

    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    admin.emit("whoami", new Object[0], ClientKit.ack(reply));
    assertThat(await(reply)).containsExactly("/admin");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void onAnySeesEveryIncomingEventBeforeItsListeners(Transport transport) {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.onAny((event, args) -> seen.add("any:" + event + Arrays.toString(args)));
      s.on("b", (args, ack) -> seen.add("listener:b"));
    }));
    Socket client = kit.connect(server, transport);

    client.emit("a", 1, "x");
    client.emit("b");

    assertThat(poll(seen)).isEqualTo("any:a[1, \"x\"]");
    assertThat(poll(seen)).isEqualTo("any:b[]");
    assertThat(poll(seen)).isEqualTo("listener:b");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void onAnyOutgoingSeesEmitsToTheSocketAndBroadcasts(Transport transport) {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    BlockingQueue<io.parley.server.Socket> connected = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.onAnyOutgoing((event, args) -> seen.add(event + Arrays.toString(args)));
      connected.add(s);
    }));
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> all = ClientKit.recordAll(client);
    connect(client);
    io.parley.server.Socket socket = poll(connected);

    socket.emit("direct", 1);
    server.io().emit("everyone", "hi");
    server.io().to(socket.id()).emit("private-room", true);

    assertThat(poll(seen)).isEqualTo("direct[1]");
    assertThat(poll(seen)).isEqualTo("everyone[hi]");
    assertThat(poll(seen)).isEqualTo("private-room[true]");
    assertThat(poll(all)).containsExactly("direct", 1);
    assertThat(poll(all)).containsExactly("everyone", "hi");
    assertThat(poll(all)).containsExactly("private-room", true);
  }
}
