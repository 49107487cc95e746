package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.parley.netty.ParleyServer;
import io.parley.redis.RedisAdapterOptions;
import io.parley.redis.RedisAdapters;
import io.parley.redis.RedisStreamsOptions;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.adapter.Adapter;
import io.parley.spring.SocketIoConfigurer;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A mixed cluster on the real Redis: a Spring Boot application (the starter, Socket.IO on the
 * application's port, the adapter from {@code parley.redis.*}) and a standalone Parley node
 * (parley-netty's ParleyServer, the same adapter built with parley-redis's API), a unique channel
 * prefix per run, an official Java client on each. Broadcasts and room broadcasts cross the nodes
 * both ways, and {@code fetchSockets} sees the sockets of both.
 */
@Timeout(60)
class MixedClusterTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    SocketIoConfigurer cluster() {
      return MixedClusterTest::handlers;
    }
  }

  /** The same handlers on both nodes. */
  static void handlers(SocketIoServer io) {
    io.onConnection(socket -> {
      socket.on("join", (args, ack) -> {
        socket.join(args.get(0).asText());
        ack.send("joined");
      });
      socket.on("shout", (args, ack) -> io.emit("news", args.get(0).asText()));
      socket.on("to-room", (args, ack) -> io.to(args.get(0).asText()).emit("room-news", args.get(1).asText()));
    });
  }

  private static Function<Namespace, Adapter> adapter(String kind, RedisClient redis, String prefix) {
    RedisAdapterOptions options = RedisAdapterOptions.builder().key(prefix).build();
    return switch (kind) {
      case "classic" -> RedisAdapters.classic(redis, options);
      case "sharded" -> RedisAdapters.sharded(redis, options);
      default -> RedisAdapters.streams(redis, RedisStreamsOptions.builder().channelPrefix(prefix).streamName(prefix).build());
    };
  }

  /** Emits until {@code arrived} completes: a subscription made by a join may still be on its way. */
  private static String eventually(Socket from, CompletableFuture<String> arrived, String event, Object... args) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
      from.emit(event, args);
      return arrived.isDone();
    });
    return arrived.join();
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "sharded", "streams"})
  void aSpringBootNodeAndAStandaloneNodeShareOneCluster(String kind) throws Exception {
    String prefix = "starter-mixed-" + UUID.randomUUID();
    RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
    ParleyServer standalone = ParleyServer.builder().host("127.0.0.1").port(0)
        .server(ServerOptions.builder().adapterFactory(adapter(kind, redis, prefix)).build()).build();
    handlers(standalone.io());
    ConfigurableApplicationContext spring = null;
    try (Clients clients = new Clients()) {
      standalone.start();
      spring = new SpringApplicationBuilder(App.class).properties("server.port=0", "server.address=127.0.0.1",
          "parley.redis.uri=redis://127.0.0.1:6379", "parley.redis.adapter=" + kind.toUpperCase(Locale.ROOT),
          "parley.redis.channel-prefix=" + prefix, "parley.redis.streams.stream-name=" + prefix).run();
      int springPort = ((WebServerApplicationContext) spring).getWebServer().getPort();
      Socket onSpring = clients.connect("http://127.0.0.1:" + springPort, "polling", "websocket");
      Socket onNetty = clients.connect("http://127.0.0.1:" + standalone.port());

      // a broadcast from either node reaches the other node's client
      assertThat(eventually(onSpring, Clients.next(onNetty, "news", "from spring"), "shout", "from spring")).isEqualTo("from spring");
      assertThat(eventually(onNetty, Clients.next(onSpring, "news", "from netty"), "shout", "from netty")).isEqualTo("from netty");

      // a room broadcast reaches the member on the other node, and only members
      assertThat(Clients.emitWithAck(onNetty, "join", "room-on-netty")).isEqualTo("joined");
      CompletableFuture<String> notMember = Clients.next(onSpring, "room-news");
      assertThat(eventually(onSpring, Clients.next(onNetty, "room-news", "hello room"), "to-room", "room-on-netty", "hello room"))
          .isEqualTo("hello room");
      CompletableFuture<String> marker = Clients.next(onSpring, "news", "marker");
      onSpring.emit("shout", "marker");
      marker.get(10, TimeUnit.SECONDS);
      assertThat(notMember).isNotDone();

      assertThat(Clients.emitWithAck(onSpring, "join", "room-on-spring")).isEqualTo("joined");
      assertThat(eventually(onNetty, Clients.next(onSpring, "room-news", "back"), "to-room", "room-on-spring", "back"))
          .isEqualTo("back");

      // either node sees the sockets of both
      SocketIoServer io = spring.getBean(SocketIoServer.class);
      List<RemoteSocket> all = io.fetchSockets().get(10, TimeUnit.SECONDS);
      assertThat(all).hasSize(2);
      assertThat(io.in("room-on-netty").fetchSockets().get(10, TimeUnit.SECONDS)).hasSize(1);
    } finally {
      if (spring != null) {
        spring.close();
      }
      standalone.close();
      if (kind.equals("streams")) {
        try (StatefulRedisConnection<String, String> c = redis.connect()) {
          c.sync().del(prefix);
        }
      }
      redis.shutdown();
    }
  }
}
