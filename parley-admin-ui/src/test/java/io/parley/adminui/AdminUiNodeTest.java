package io.parley.adminui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.parley.netty.ParleyServer;
import io.parley.netty.testkit.ChildProcess;
import io.parley.server.EventListener;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The admin namespace spoken to by the official {@code socket.io-client} from npm, as the admin UI
 * does: {@code tests/node/admin-ui/protocol.mjs} (run by {@code node --test}) against three servers
 * instrumented here: bcrypt basic auth in development mode, read-only with a plain password on a
 * custom namespace, and no auth in production mode.
 */
class AdminUiNodeTest {
  private static final List<ParleyServer> servers = new ArrayList<>();
  private static final List<AdminUi> uis = new ArrayList<>();

  @BeforeAll
  static void start() throws InterruptedException {
    String hash = BCrypt.hashpw("changeit", BCrypt.gensalt(4));
    start(AdminUiOptions.builder().auth(AdminAuth.basic("admin", hash)).serverId("node-a")
        .statsInterval(Duration.ofMillis(200)).build());
    start(AdminUiOptions.builder().namespace("/custom-admin").auth(AdminAuth.plain("admin", "secret"))
        .readonly(true).statsInterval(Duration.ofMillis(200)).build());
    start(AdminUiOptions.builder().auth(AdminAuth.none()).mode(AdminUiOptions.Mode.PRODUCTION)
        .statsInterval(Duration.ofMillis(200)).build());
  }

  /** A server with the application side the JS tests use on {@code /}, then instrumented. */
  private static void start(AdminUiOptions options) throws InterruptedException {
    ParleyServer server = ParleyServer.builder().host("127.0.0.1").port(0).server(ServerOptions.DEFAULT).build();
    SocketIoServer io = server.io();
    io.onConnection(socket -> {
      socket.emit("welcome", "hi");
      socket.on("echo", (args, ack) -> ack.send(args.toArray()));
      socket.on("join-room", (args, ack) -> {
        socket.join(args.get(0).asText());
        ack.send("joined");
      });
      socket.on("my-rooms", EventListener.nonBlocking((args, ack) -> ack.send(new TreeSet<>(socket.rooms()))));
      socket.on("set-data", (args, ack) -> {
        socket.data().put(args.get(0).asText(), args.get(1));
        ack.send("ok");
      });
    });
    uis.add(AdminUi.instrument(io, options));
    server.start();
    servers.add(server);
  }

  @AfterAll
  static void stop() {
    uis.forEach(AdminUi::close);
    servers.forEach(ParleyServer::close);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void officialClientSpeaksTheAdminProtocol() throws Exception {
    Path dir = nodeDir();
    NodeRunner.ensureNodeModules(dir);
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "admin-ui/protocol.mjs")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PARLEY_ADMIN_URL", "http://127.0.0.1:" + servers.get(0).port());
    pb.environment().put("PARLEY_ADMIN_RO_URL", "http://127.0.0.1:" + servers.get(1).port());
    pb.environment().put("PARLEY_ADMIN_PROD_URL", "http://127.0.0.1:" + servers.get(2).port());
    pb.environment().put("NO_COLOR", "1");
    ChildProcess run = ChildProcess.run(pb, 240, "node");
    if (run.timedOut()) {
      fail("node did not finish in time:\n" + run.tail(60));
    }
    assertThat(run.exitCode()).as("node --test exit code; output:\n" + run.tail(120)).isZero();
    assertThat(run.lines()).anyMatch(l -> l.matches("\\S*\\s*pass [1-9]\\d*"));
    assertThat(run.lines()).anyMatch(l -> l.matches("\\S*\\s*fail 0"));
    assertThat(run.lines()).noneMatch(l -> l.matches("\\S*\\s*skipped [1-9]\\d*"));
  }

  static Path nodeDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("tests").resolve("node");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("tests/node not found");
  }

  /** Installs the Node test client when it is missing. */
  static final class NodeRunner {
    static void ensureNodeModules(Path dir) throws Exception {
      Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
      if (Files.exists(installed)) {
        return;
      }
      ChildProcess run = ChildProcess.run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
          .redirectErrorStream(true), 300, "npm");
      if (run.timedOut() || run.exitCode() != 0) {
        fail("npm ci failed in " + dir + "\n" + run.tail(30));
      }
    }

  }
}
