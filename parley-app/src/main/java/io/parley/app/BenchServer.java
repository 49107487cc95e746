package io.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import static io.parley.server.EventListener.nonBlocking;

import io.lettuce.core.RedisClient;
import io.parley.netty.ParleyServer;
import io.parley.redis.RedisAdapters;
import io.parley.server.EventRateLimit;
import io.parley.server.RecoveryOptions;
import java.time.Duration;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bench-server contract shared with the peers in {@code bench/peers/}: the same events, the
 * same replies, so the load generator measures servers and not fixtures.
 */
@Command(name = "bench-server", mixinStandardHelpOptions = true,
    description = "Serve the benchmark contract (bench:echo, bench:broadcast, bench:join, bench:to, bench:count, "
        + "bench:rooms-join, bench:server-emit).")
final class BenchServer implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "3000", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--redis", description = "Join a cluster through this Redis (redis://host:port).")
  String redis;

  @Option(names = "--sharded", description = "With --redis: the sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE).")
  boolean sharded;

  @Option(names = "--recovery", paramLabel = "MS",
      description = "Connection state recovery with this window in ms (in memory; with --streams, in Redis).")
  Long recoveryMs;

  @Option(names = "--streams",
      description = "With --redis: the Redis Streams adapter, connection state recovery on (window: --recovery, default 120000).")
  boolean streams;

  /** The recovery options of {@code --recovery MS} / {@code --streams}, or null when off. */
  static RecoveryOptions recovery(Long recoveryMs, boolean streams) {
    if (recoveryMs != null) {
      if (recoveryMs <= 0) {
        throw new IllegalArgumentException("--recovery must be a positive number of milliseconds");
      }
      return RecoveryOptions.of(Duration.ofMillis(recoveryMs));
    }
    return streams ? RecoveryOptions.DEFAULT : null;
  }

  static void install(SocketIoServer io) {
    io.on("bench:server", (args, ack) -> io.local().emit("bench:from-server", args.toArray()));
    io.onConnection(socket -> {
      // These never block, so they run on the event loop (the reference runs every handler there).
      socket.on("bench:echo", nonBlocking((args, ack) -> ack.send(args.get(0))));
      socket.on("bench:broadcast", nonBlocking((args, ack) -> io.emit("bench:msg", args.get(0))));
      socket.on("bench:join", nonBlocking((args, ack) -> {
        socket.join(args.get(0).asText());
        ack.send(true);
      }));
      socket.on("bench:to", nonBlocking((args, ack) -> {
        JsonNode m = args.get(0);
        io.to(m.path("room").asText()).emit("bench:msg", m.get("data"));
      }));
      socket.on("bench:count", (args, ack) ->
          ack.send(io.fetchSockets().get(10, TimeUnit.SECONDS).size()));
      socket.on("bench:rooms-join", (args, ack) -> {
        JsonNode m = args.get(0);
        io.in(m.path("from").asText()).socketsJoin(m.path("to").asText());
        ack.send(true);
      });
      socket.on("bench:server-emit", (args, ack) -> io.serverSideEmit("bench:server", args.get(0)));
    });
  }

  @Override
  public Integer call() throws Exception {
    // No event rate limit: the peers have none, and the load generator sends thousands per second.
    ServerOptions.Builder options = ServerOptions.builder().eventRateLimit(EventRateLimit.OFF);
    RedisClient client = null;
    if (streams && sharded) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--streams and --sharded exclude each other");
    }
    if (redis != null) {
      client = RedisClient.create(redis);
      options.adapterFactory(streams ? RedisAdapters.streams(client)
          : sharded ? RedisAdapters.sharded(client) : RedisAdapters.classic(client));
    } else if (sharded || streams) {
      throw new CommandLine.ParameterException(new CommandLine(this), (sharded ? "--sharded" : "--streams") + " needs --redis");
    }
    try {
      options.connectionStateRecovery(recovery(recoveryMs, streams));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    ParleyServer server = ParleyServer.builder().host(host).port(port).server(options.build()).build();
    install(server.io());
    server.start();
    RedisClient redisClient = client;
    System.out.println("bench server on port " + server.port());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (redisClient != null) {
        redisClient.shutdown();
      }
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
