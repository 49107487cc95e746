package io.parley.app;

import io.parley.netty.CorsOptions;
import io.parley.netty.EngineOptions;
import io.parley.netty.ParleyServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts Parley with a small demo: every socket joins {@code general}; {@code chat:send} is
 * acknowledged and broadcast to the room as {@code chat:message}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Parley server.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-4000}", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-0.0.0.0}", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--cors-origin", defaultValue = "${env:PARLEY_CORS_ORIGIN}", description = "Allowed cross-origin page origin(s), comma separated.")
  String corsOrigin;

  @Override
  public Integer call() throws Exception {
    EngineOptions.Builder engine = EngineOptions.builder();
    if (corsOrigin != null && !corsOrigin.isBlank()) {
      engine.cors(CorsOptions.origins(corsOrigin.split(",")).withCredentials(true));
    }
    ParleyServer server = ParleyServer.builder().host(host).port(port).engine(engine.build()).build();
    DemoChat.install(server.io());
    server.start();
    System.out.println("Parley is serving Socket.IO on http://localhost:" + server.port() + "/socket.io/");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
