package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.netty.ParleyServer;
import io.parley.redis.internal.Ids;
import io.parley.server.adapter.Adapter;
import io.parley.server.Namespace;
import io.parley.server.ServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Parley nodes sharing the real Redis on 127.0.0.1:6379 under a key prefix of their own, and the
 * clients connected to them. Each node joins the rooms named in its clients' {@code room} query
 * parameter (comma-separated) and records its name in {@code socket.data.node}.
 */
final class RedisFixture implements AutoCloseable {
  static final String REDIS_URL = "redis://127.0.0.1:6379";

  /** Which adapter the nodes use. */
  enum Mode {
    CLASSIC, SHARDED;

    RedisAdapters factory(RedisClient client, RedisAdapterOptions options) {
      return this == CLASSIC ? RedisAdapters.classic(client, options) : RedisAdapters.sharded(client, options);
    }
  }

  /** A running node. */
  record Node(String name, ParleyServer server) {
    io.parley.server.SocketIoServer io() {
      return server.io();
    }

    int port() {
      return server.port();
    }
  }

  final Mode mode;
  final String key = "parley-test-" + Ids.uid2(10).replace('-', 'x').replace('_', 'y');
  final RedisClient redis = RedisClient.create(REDIS_URL);
  final RedisCommands<String, String> admin;
  private final StatefulRedisConnection<String, String> adminConnection;
  private final RedisAdapterOptions options;
  private final List<Node> nodes = new ArrayList<>();
  private final List<OfficialClient> clients = new ArrayList<>();
  private final List<AutoCloseable> extras = new ArrayList<>();
  /** room -> names of the nodes that have a client in it, to await sharded room channels. */
  private final Map<String, Set<String>> roomNodes = new ConcurrentHashMap<>();

  RedisFixture(Mode mode) {
    this(mode, UnaryOperator.identity());
  }

  RedisFixture(Mode mode, UnaryOperator<RedisAdapterOptions.Builder> options) {
    this.mode = mode;
    this.options = options.apply(RedisAdapterOptions.builder().key(key)).build();
    this.adminConnection = redis.connect();
    this.admin = adminConnection.sync();
  }

  RedisAdapterOptions options() {
    return options;
  }

  /** The adapter factory of a new node of this fixture. */
  java.util.function.Function<Namespace, Adapter> adapterFactory() {
    return mode.factory(redis, options);
  }

  /** Starts a node and waits until its main namespace is subscribed. */
  Node node(String name) throws Exception {
    return node(name, UnaryOperator.identity());
  }

  /** A node whose server options are adjusted by {@code serverOptions}. */
  Node node(String name, UnaryOperator<ServerOptions.Builder> serverOptions) throws Exception {
    ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0).ioThreads(2)
        .server(serverOptions.apply(ServerOptions.builder().adapterFactory(adapterFactory())).build())
        .build();
    Node node = new Node(name, s);
    s.io().onConnection(socket -> {
      String rooms = socket.handshake().query().get("room");
      if (rooms != null && !rooms.isEmpty()) {
        socket.join(rooms.split(","));
      }
      socket.data().put("node", name);
    });
    nodes.add(node);
    s.start();
    awaitReady(s.io().sockets());
    return node;
  }

  /** Waits until the namespace's adapter subscribed its channels. */
  static void awaitReady(Namespace nsp) throws Exception {
    Adapter a = nsp.adapter();
    if (a instanceof RedisAdapter r) {
      r.ready().get(5, TimeUnit.SECONDS);
    } else if (a instanceof ShardedRedisAdapter r) {
      r.ready().get(5, TimeUnit.SECONDS);
    }
  }

  /** A client of {@code node} in {@code rooms}, returned once the node (and Redis) know its rooms. */
  OfficialClient client(Node node, String... rooms) throws Exception {
    return clientOf(node, "/", rooms);
  }

  /** A client of namespace {@code nsp} of {@code node}, in {@code rooms}. */
  OfficialClient clientOf(Node node, String nsp, String... rooms) throws Exception {
    String query = rooms.length == 0 ? null : "room=" + String.join(",", rooms);
    OfficialClient c = new OfficialClient(node.port(), nsp, query, node.name());
    clients.add(c);
    for (String room : rooms) {
      Namespace ns = node.io().of(nsp);
      await().atMost(Duration.ofSeconds(5)).until(() -> ns.adapter().hasRoom(room));
      joined(nsp, room, node.name());
    }
    return c;
  }

  /**
   * Records that these servers have {@code room} and, with the sharded adapter in a dynamic mode,
   * waits until every server known to have it subscribed its channel.
   */
  void joined(String nsp, String room, String... servers) {
    Set<String> having = roomNodes.computeIfAbsent(nsp + "#" + room, k -> ConcurrentHashMap.newKeySet());
    having.addAll(Arrays.asList(servers));
    awaitRoomChannel(nsp, room, having.size());
  }

  /**
   * With the sharded adapter in a dynamic mode, waits until {@code servers} servers subscribed the
   * channel of {@code room}; nothing to wait for otherwise.
   */
  void awaitRoomChannel(String nsp, String room, int servers) {
    if (mode == Mode.SHARDED && options.subscriptionMode() != SubscriptionMode.STATIC) {
      String channel = key + "#" + nsp + "#" + room + "#";
      await().atMost(Duration.ofSeconds(5)).until(() -> shardSubscribers(channel) == servers);
    }
  }

  long shardSubscribers(String channel) {
    return admin.pubsubShardNumsub(channel).getOrDefault(channel, 0L);
  }

  long subscribers(String channel) {
    return admin.pubsubNumsub(channel).getOrDefault(channel, 0L);
  }

  /**
   * A subscriber that counts as a server (it listens where servers listen) but never answers.
   */
  void ghostServer() {
    StatefulRedisPubSubConnection<String, String> c = redis.connectPubSub();
    extras.add(c::close);
    if (mode == Mode.CLASSIC) {
      c.sync().subscribe(key + "-request#/#");
    } else {
      c.sync().ssubscribe(key + "#/#");
    }
  }

  /** Kills the Redis connections with these {@code CLIENT ID}s (and no other). */
  void killConnections(List<Long> ids) {
    for (long id : ids) {
      admin.clientKill(KillArgs.Builder.id(id));
    }
  }

  /** Registers something to close with the fixture. */
  <T extends AutoCloseable> T closeLater(T c) {
    extras.add(c);
    return c;
  }

  @Override
  public void close() {
    for (OfficialClient c : clients) {
      c.close();
    }
    for (Node n : nodes) {
      n.server().close();
    }
    for (AutoCloseable c : extras.reversed()) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    adminConnection.close();
    redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
