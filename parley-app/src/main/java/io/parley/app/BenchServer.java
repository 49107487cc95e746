package io.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import static io.parley.server.EventListener.nonBlocking;

import io.parley.server.ConnectionListener;
import io.parley.server.EventRateLimit;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The bench-server contract shared with the peers in {@code bench/peers/}: the same events, the
 * same replies, so the load generator measures servers and not fixtures. On Netty or, with
 * {@code --binding servlet}, through {@code ParleyServlet} in embedded Tomcat.
 */
@Command(name = "bench-server", mixinStandardHelpOptions = true,
    description = "Serve the benchmark contract (bench:echo, bench:broadcast, bench:join, bench:to, bench:count, "
        + "bench:rooms-join, bench:server-emit).")
final class BenchServer implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "3000", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--io-threads", defaultValue = "0",
      description = "Event loop threads (default: ${DEFAULT-VALUE}, one per core; Netty binding only).")
  int ioThreads;

  @Spec
  CommandSpec spec;

  @Mixin
  BindingOptions binding;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  ProxyOptions proxies;

  @Mixin
  LoggingOptions logging;

  static void install(SocketIoServer io) {
    io.on("bench:server", (args, ack) -> io.local().emit("bench:from-server", args.toArray()));
    io.onConnection(ConnectionListener.nonBlocking(socket -> {
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
    }));
  }

  @Override
  public Integer call() throws Exception {
    logging.apply();
    cluster.validate();
    if (binding.binding == Binding.SERVLET && (ioThreads != 0 || !proxies.list().isEmpty())) {
      // Tomcat has its own threads, and its own proxy handling (RemoteIpValve)
      throw new ParameterException(spec.commandLine(), "--io-threads and --trusted-proxy are options of the Netty binding");
    }
    // No event rate limit: the peers have none, and the load generator sends thousands per second.
    ServerOptions options = ServerOptions.builder().eventRateLimit(EventRateLimit.OFF)
        .adapterFactory(cluster.adapterFactory()).connectionStateRecovery(cluster.recovery()).build();
    AppServer server = AppServer.builder(binding.binding).host(host).port(port).server(options)
        .netty(b -> b.ioThreads(ioThreads).trustedProxies(proxies.trustedProxies())).build();
    install(server.io());
    server.start();
    System.out.println("bench server on port " + server.port() + " (binding "
        + server.binding().name().toLowerCase(java.util.Locale.ROOT) + ")");
    if (cluster.describe() != null) {
      System.out.println(cluster.describe());
    }
    if (proxies.describe() != null) {
      System.out.println(proxies.describe());
    }
    return Running.untilShutdown(server, cluster);
  }

}
