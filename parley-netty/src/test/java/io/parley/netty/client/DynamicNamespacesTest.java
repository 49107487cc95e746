package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.awaitUntil;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.connectError;
import static io.parley.netty.client.ClientKit.fromClient;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.namesUntil;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.recordAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.ConnectError;
import io.parley.server.ParentNamespace;
import io.parley.server.ServerOptions;
import io.parley.server.engine.EngineOptions;
import io.socket.client.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class DynamicNamespacesTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  private static final Pattern DYN = Pattern.compile("/dyn-\\d+");

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMatchingNameCreatesAChildNamespaceOnConnection(Transport transport) {
    BlockingQueue<io.parley.server.Socket> connected = new LinkedBlockingQueue<>();
    AtomicReference<ParentNamespace> parent = new AtomicReference<>();
    TestServer server = kit.server(io -> {
      parent.set(io.of(DYN));
      parent.get().onConnection(s -> {
        connected.add(s);
        s.on("where", (args, ack) -> ack.send(s.nsp().name()));
      });
    });

    Socket client = kit.connect(server, transport, "/dyn-42");

    io.parley.server.Socket socket = poll(connected);
    assertThat(socket.nsp().name()).isEqualTo("/dyn-42");
    assertThat(socket.id()).isEqualTo(client.id());
    assertThat(parent.get().children()).containsOnlyKeys("/dyn-42");
    assertThat(server.io().namespaceNames()).contains("/dyn-42");
    CompletableFuture<Object[]> where = new CompletableFuture<>();
    client.emit("where", new Object[0], ClientKit.ack(where));
    assertThat(await(where)).containsExactly("/dyn-42");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aNameThatMatchesNothingIsAnInvalidNamespace(Transport transport) {
    TestServer server = kit.server(io -> io.of(DYN));

    Object error = connectError(kit.socket(server, transport, "/dyn-abc"));

    assertThat(fromClient(error)).isEqualTo(json("{'message':'Invalid namespace'}"));
    assertThat(server.io().namespaceNames()).doesNotContain("/dyn-abc");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theParentMiddlewareGuardsEveryChild(Transport transport) {
    TestServer server = kit.server(io -> io.of(DYN).use(socket -> {
      if (!socket.handshake().auth().has("token")) {
        throw new ConnectError("token required", Map.of("namespace", socket.nsp().name()));
      }
    }));

    Object error = connectError(kit.socket(server, transport, "/dyn-7"));
    Socket allowed = kit.connect(server, transport, "/dyn-7", o -> o.auth = Map.of("token", "t"));

    assertThat(fromClient(error)).isEqualTo(json("{'message':'token required','data':{'namespace':'/dyn-7'}}"));
    assertThat(server.io().of("/dyn-7").sockets()).containsOnlyKeys(allowed.id());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastFromTheParentReachesEveryChildAndAChildBroadcastOnlyItself(Transport transport) {
    AtomicReference<ParentNamespace> parent = new AtomicReference<>();
    TestServer server = kit.server(io -> parent.set(io.of(DYN)));
    Socket one = kit.socket(server, transport, "/dyn-1");
    Socket two = kit.socket(server, transport, "/dyn-2");
    Socket main = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> atOne = recordAll(one);
    BlockingQueue<Object[]> atTwo = recordAll(two);
    BlockingQueue<Object[]> atMain = recordAll(main);
    connect(one);
    connect(two);
    connect(main);

    parent.get().emit("to-all-children", 1);
    server.io().of("/dyn-1").emit("to-dyn-1", 2);
    server.io().emit("to-main", 3);
    parent.get().emit("fence");
    server.io().emit("fence");

    assertThat(namesUntil(atOne, "fence")).containsExactly("to-all-children", "to-dyn-1");
    assertThat(namesUntil(atTwo, "fence")).containsExactly("to-all-children");
    assertThat(namesUntil(atMain, "fence")).containsExactly("to-main");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anExistingStaticNamespaceWinsOverThePattern(Transport transport) {
    BlockingQueue<String> connectedVia = new LinkedBlockingQueue<>();
    TestServer server = kit.server(io -> {
      io.of(DYN).onConnection(s -> connectedVia.add("parent"));
      io.of("/dyn-5").onConnection(s -> connectedVia.add("static"));
    });

    kit.connect(server, transport, "/dyn-5");

    assertThat(poll(connectedVia)).isEqualTo("static");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anEmptyChildIsRemovedWhenCleanupIsOn(Transport transport) {
    AtomicReference<ParentNamespace> parent = new AtomicReference<>();
    TestServer server = kit.server(ServerOptions.builder().cleanupEmptyChildNamespaces(true).build(),
        EngineOptions.DEFAULT, io -> parent.set(io.of(DYN)));
    Socket client = kit.connect(server, transport, "/dyn-9");
    assertThat(parent.get().children()).containsOnlyKeys("/dyn-9");

    client.disconnect();

    awaitUntil(() -> parent.get().children().isEmpty());
    assertThat(server.io().namespaceNames()).doesNotContain("/dyn-9");
    Socket again = kit.connect(server, transport, "/dyn-9");
    assertThat(server.io().of("/dyn-9").sockets()).containsOnlyKeys(again.id());
  }
}
