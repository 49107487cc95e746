package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.parley.spring.OnEvent;
import io.socket.client.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Actuator's {@code parley} health (UP, DOWN while the cluster's Redis is unreachable, UP again
 * once Lettuce reconnects) and Parley's meters in the application's {@link MeterRegistry}, with
 * the real Redis behind a proxy that can cut it off.
 */
@SpringBootTest(classes = ObservabilityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "management.endpoint.health.show-details=always"})
@Timeout(60)
class ObservabilityTest {
  private static TcpProxy redis;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Echo.class)
  static class App {}

  static class Echo {
    @OnEvent("echo")
    String echo(String s) {
      return s;
    }
  }

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) throws Exception {
    redis = new TcpProxy(6379);
    registry.add("parley.redis.uri", () -> "redis://127.0.0.1:" + redis.port());
    registry.add("parley.redis.channel-prefix", () -> "starter-observability-" + UUID.randomUUID());
  }

  @AfterAll
  static void stopProxy() {
    redis.close();
  }

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;
  private final Clients clients = new Clients();

  @AfterEach
  void close() {
    clients.close();
  }

  private JSONObject health() throws Exception {
    HttpResponse<String> r = Clients.get("http://127.0.0.1:" + port + "/actuator/health/parley");
    JSONObject json = new JSONObject(r.body());
    assertThat(r.statusCode()).isEqualTo("UP".equals(json.getString("status")) ? 200 : 503);
    return json;
  }

  @Test
  void healthFollowsTheClusterBackend() throws Exception {
    JSONObject up = health();
    assertThat(up.getString("status")).isEqualTo("UP");
    assertThat(up.getJSONObject("details").getString("redis")).isEqualTo("UP");
    try {
      redis.stop();
      await().atMost(Duration.ofSeconds(15)).until(() -> "DOWN".equals(health().getString("status")));
      assertThat(health().getJSONObject("details").getString("redis")).isEqualTo("DOWN");
    } finally {
      redis.start();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(health().getString("status")));
  }

  private double count(String name, String... tags) {
    Search s = registry.find(name).tags(tags);
    return s.counter() == null ? 0 : s.counter().count();
  }

  private double gauge(String name, String... tags) {
    Search s = registry.find(name).tags(tags);
    return s.gauge() == null ? -1 : s.gauge().value();
  }

  @Test
  void metricsInTheApplicationsRegistry() throws Exception {
    double events = count("parley.events.received", "namespace", "/");
    double left = count("parley.sockets.disconnected", "namespace", "/", "reason", "client namespace disconnect");
    Socket s = clients.connect("http://127.0.0.1:" + port);
    assertThat(gauge("parley.connections")).isEqualTo(1);
    assertThat(gauge("parley.sockets", "namespace", "/")).isEqualTo(1);
    assertThat(count("parley.sockets.connected", "namespace", "/")).isGreaterThanOrEqualTo(1);
    assertThat(Clients.emitWithAck(s, "echo", "one")).isEqualTo("one");
    assertThat(Clients.emitWithAck(s, "echo", "two")).isEqualTo("two");
    assertThat(count("parley.events.received", "namespace", "/")).isEqualTo(events + 2);
    assertThat(registry.find("parley.bytes.received").counter().count()).isPositive();
    s.disconnect();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        count("parley.sockets.disconnected", "namespace", "/", "reason", "client namespace disconnect") == left + 1
            && gauge("parley.connections") == 0);
    assertThat(gauge("parley.sockets", "namespace", "/")).isZero();
  }
}
