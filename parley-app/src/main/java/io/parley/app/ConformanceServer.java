package io.parley.app;

import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import io.parley.server.Args;
import io.parley.server.ServerOptions;
import io.parley.server.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fixture the official Engine.IO v4 and Socket.IO v5 test suites expect: raw Engine.IO echo at
 * {@code /engine.io/}, Socket.IO at {@code /socket.io/}, ping 300/200 ms, connectTimeout 1 s; on
 * Netty or, with {@code --binding servlet}, through {@code ParleyServlet} in embedded Tomcat.
 */
@Command(name = "conformance-server", mixinStandardHelpOptions = true,
    description = "Serve the fixture of the official Engine.IO v4 / Socket.IO v5 conformance suites.")
final class ConformanceServer implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "3000", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Mixin
  BindingOptions binding;

  @Mixin
  LoggingOptions logging;

  static AppServer create(Binding binding, String host, int port) {
    EngineOptions engine = EngineOptions.builder()
        .pingInterval(Duration.ofMillis(300))
        .pingTimeout(Duration.ofMillis(200))
        .maxHttpBufferSize(1_000_000)
        .cors(CorsOptions.allowAll())
        .build();
    AppServer server = AppServer.builder(binding)
        .host(host)
        .port(port)
        .engine(engine)
        .server(ServerOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
        .endpoint(engine.toBuilder().path("/engine.io/").build(), new EchoHandler())
        .build();
    server.io().onConnection(ConformanceServer::onMain);
    server.io().of("/custom").onConnection(s -> s.emit("auth", s.handshake().auth()));
    return server;
  }

  private static void onMain(Socket socket) {
    socket.emit("auth", socket.handshake().auth());
    socket.on("message", (Args args, io.parley.server.Ack ack) -> socket.emit("message-back", args.toArray()));
    socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
  }

  @Override
  public Integer call() throws Exception {
    logging.apply();
    AppServer server = create(binding.binding, host, port).start();
    System.out.println("conformance server on http://" + host + ":" + server.port()
        + " (Engine.IO echo at /engine.io/, Socket.IO at /socket.io/; binding " + server.binding().name().toLowerCase(java.util.Locale.ROOT) + ")");
    return Running.untilShutdown(server);
  }
}
