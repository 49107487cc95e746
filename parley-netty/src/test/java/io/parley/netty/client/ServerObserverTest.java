package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.Namespace;
import io.parley.server.ServerMetrics;
import io.parley.server.ServerObserver;
import io.parley.server.SocketIoServer;
import io.socket.client.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SocketIoServer#addObserver} and {@link SocketIoServer#addMetrics}, seen with the official Java client. */
@Timeout(20)
class ServerObserverTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  /** Records what it sees as strings, in order. */
  static final class Recorder implements ServerObserver {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void socketConnected(io.parley.server.Socket socket) {
      seen.add("connected " + socket.nsp().name() + " " + socket.id() + " rooms=" + socket.rooms());
    }

    @Override
    public void socketDisconnected(io.parley.server.Socket socket, io.parley.server.DisconnectReason reason) {
      seen.add("disconnected " + socket.nsp().name() + " " + socket.id() + " " + reason + " rooms=" + socket.rooms());
    }

    @Override
    public void roomJoined(Namespace nsp, String room, String socketId) {
      seen.add("joined " + nsp.name() + " " + room + " " + socketId);
    }

    @Override
    public void roomLeft(Namespace nsp, String room, String socketId) {
      seen.add("left " + nsp.name() + " " + room + " " + socketId);
    }

    @Override
    public void transportChanged(io.parley.server.Socket socket, String transport) {
      seen.add("transport " + socket.id() + " " + transport);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void everyStepOfASocketIsObservedInOrder(Transport transport) {
    Recorder r = new Recorder();
    TestServer server = kit.server(io -> {
      io.addObserver(r);
      io.of("/chat").onConnection(s -> {
        r.seen.add("listener " + s.id());
        s.join("a", "b");
        s.join("a"); // already in: nothing observed
        s.on("leave-b", (args, ack) -> {
          s.leave("b");
          s.leave("b"); // not in any more: nothing observed
          ack.send();
        });
      });
    });
    Socket client = kit.connect(server, transport, "/chat");
    String id = client.id();
    if (transport == Transport.POLLING_WITH_UPGRADE) {
      awaitUntil(() -> r.seen.contains("transport " + id + " websocket"));
    }
    java.util.concurrent.CompletableFuture<Object[]> done = new java.util.concurrent.CompletableFuture<>();
    client.emit("leave-b", new Object[0], ClientKit.ack(done));
    ClientKit.await(done);
    client.disconnect();
    awaitUntil(() -> r.seen.stream().anyMatch(s -> s.startsWith("disconnected")));

    List<String> expected = new java.util.ArrayList<>(List.of(
        "joined /chat " + id + " " + id,
        "connected /chat " + id + " rooms=[" + id + "]",
        "listener " + id));
    List<String> seen = new java.util.ArrayList<>(r.seen);
    seen.removeIf(s -> s.startsWith("transport "));
    assertThat(seen.subList(0, 3)).containsExactlyElementsOf(expected);
    // "a" and "b" in either order (a set), then leave b once, then leaving everything, then disconnected
    assertThat(seen.subList(3, 5)).containsExactlyInAnyOrder("joined /chat a " + id, "joined /chat b " + id);
    assertThat(seen.get(5)).isEqualTo("left /chat b " + id);
    assertThat(seen.subList(6, 8)).containsExactlyInAnyOrder("left /chat a " + id, "left /chat " + id + " " + id);
    assertThat(seen.get(8)).isEqualTo("disconnected /chat " + id + " client namespace disconnect rooms=[]");
    assertThat(seen).hasSize(9);
    if (transport == Transport.POLLING_WITH_UPGRADE) {
      assertThat(r.seen).containsOnlyOnce("transport " + id + " websocket");
    } else {
      assertThat(r.seen).noneMatch(s -> s.startsWith("transport "));
    }
  }

  @Test
  void aFailingObserverDoesNotHurtTheSocketAndARemovedOneHearsNothing() {
    Recorder removed = new Recorder();
    Recorder kept = new Recorder();
    AtomicLong bytesIn = new AtomicLong();
    AtomicLong opened = new AtomicLong();
    SocketIoServer[] io = new SocketIoServer[1];
    TestServer server = kit.server(s -> {
      io[0] = s;
      s.addObserver(new ServerObserver() {
        @Override
        public void socketConnected(io.parley.server.Socket socket) {
          throw new IllegalStateException("observer bug");
        }
      });
      s.addObserver(removed);
      s.addObserver(kept);
      s.addMetrics(new ServerMetrics() {
        @Override
        public void connectionOpened() {
          opened.incrementAndGet();
        }

        @Override
        public void bytesIn(long bytes) {
          bytesIn.addAndGet(bytes);
        }
      });
      s.onConnection(sock -> sock.emit("hello"));
    });
    io[0].removeObserver(removed);
    BlockingQueueHolder hello = new BlockingQueueHolder();
    Socket client = kit.socket(server, Transport.WEBSOCKET, "/");
    hello.q = ClientKit.record(client, "hello");
    ClientKit.connect(client);
    ClientKit.poll(hello.q);
    assertThat(kept.seen).anyMatch(s -> s.startsWith("connected / " + client.id()));
    assertThat(removed.seen).isEmpty();
    assertThat(opened.get()).isEqualTo(1);
    assertThat(bytesIn.get()).isPositive();
    assertThat(io[0].connectionCount()).isEqualTo(1);
    assertThat(io[0].pollingConnectionCount()).isZero();
  }

  private static final class BlockingQueueHolder {
    java.util.concurrent.BlockingQueue<Object[]> q;
  }
}
