package io.parley.chat;

import static io.parley.chat.testkit.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.redis.RedisAdapters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /health} and {@code /ready} with a cluster backend: the real Redis on 127.0.0.1:6379,
 * reached through a loopback relay that the test closes to make Redis unreachable (its port is then
 * closed) and opens again on the same port.
 */
@Timeout(90)
class HealthChecksTest {
  private static final int REDIS_PORT = 6379;

  /** Forwards loopback connections to the real Redis until closed; can listen again on its port. */
  private static final class Relay implements AutoCloseable {
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private int port;

    Relay listen() throws IOException {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      port = server.getLocalPort();
      ServerSocket s = server;
      Thread.ofVirtual().start(() -> {
        while (!s.isClosed()) {
          try {
            Socket client = s.accept();
            Socket redis = new Socket(InetAddress.getLoopbackAddress(), REDIS_PORT);
            open.add(client);
            open.add(redis);
            Thread.ofVirtual().start(() -> pipe(client, redis));
            Thread.ofVirtual().start(() -> pipe(redis, client));
          } catch (IOException e) {
            // closed
          }
        }
      });
      return this;
    }

    private static void pipe(Socket from, Socket to) {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : open) {
        s.close();
      }
      open.clear();
    }
  }

  /** Polls {@code path} until it answers {@code status} (within 30 s); returns that answer's JSON. */
  private static JsonNode awaitStatus(TestApp app, String path, int status) throws Exception {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      last.set(app.get(path, null));
      return last.get().statusCode() == status;
    });
    return json(last.get());
  }

  private void upDownAndUpAgain(Function<RedisClient, Function<io.parley.server.Namespace, io.parley.server.adapter.Adapter>> adapters)
      throws Exception {
    try (Relay relay = new Relay().listen()) {
      RedisClient redis = RedisClient.create(relay.url());
      try (TestApp app = TestApp.start(Backend.H2, b -> b.adapterFactory(adapters.apply(redis)))) {
        HttpResponse<String> health = app.get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");
        assertThat(json(health).path("database").asText()).isEqualTo("up");
        assertThat(json(health).path("redis").asText()).isEqualTo("up");
        HttpResponse<String> ready = app.get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("redis").asText()).isEqualTo("up");

        relay.close(); // Redis unreachable: its port is now closed
        JsonNode notReady = awaitStatus(app, "/ready", 503);
        assertThat(notReady.path("status").asText()).isEqualTo("not ready");
        assertThat(notReady.path("redis").asText()).isEqualTo("down");
        assertThat(notReady.path("database").asText()).isEqualTo("up");
        HttpResponse<String> degraded = app.get("/health", null);
        assertThat(degraded.statusCode()).as("alive: /health stays 200 while only Redis is down").isEqualTo(200);
        assertThat(json(degraded).path("status").asText()).isEqualTo("degraded");
        assertThat(json(degraded).path("redis").asText()).isEqualTo("down");

        relay.listen(); // the same port again: Lettuce reconnects
        JsonNode back = awaitStatus(app, "/ready", 200);
        assertThat(back.path("redis").asText()).isEqualTo("up");
        assertThat(json(app.get("/health", null)).path("status").asText()).isEqualTo("ok");
      } finally {
        redis.shutdown();
      }
    }
  }

  @Test
  void theClassicAdapterIsReportedUpThenDownThenUpAgain() throws Exception {
    upDownAndUpAgain(RedisAdapters::classic);
  }

  @Test
  void theStreamsAdapterIsReportedUpThenDownThenUpAgain() throws Exception {
    upDownAndUpAgain(RedisAdapters::streams);
  }

  @Test
  void withoutRedisOnlyTheDatabaseIsReported() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2)) {
      JsonNode health = json(app.get("/health", null));
      assertThat(health.has("redis")).isFalse();
      assertThat(health.path("database").asText()).isEqualTo("up");
      assertThat(json(app.get("/ready", null)).has("redis")).isFalse();
    }
  }

  @Test
  void aNodeDoesNotStartWhenRedisIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RedisClient redis = RedisClient.create("redis://127.0.0.1:" + closedPort);
    try {
      assertThatThrownBy(() -> TestApp.start(Backend.H2, b -> b.adapterFactory(RedisAdapters.classic(redis))))
          .hasStackTraceContaining("127.0.0.1:" + closedPort);
    } finally {
      redis.shutdown();
    }
  }
}
