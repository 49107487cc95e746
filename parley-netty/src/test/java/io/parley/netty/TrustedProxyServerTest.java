package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client address behind a reverse proxy, over real sockets: loopback 127.0.0.1 plays the
 * trusted proxy, 127.0.0.2 and 127.0.0.3 untrusted clients that send a forged X-Forwarded-For.
 */
@Timeout(30)
class TrustedProxyServerTest {
  private ParleyServer server;
  private final BlockingQueue<String> addresses = new LinkedBlockingQueue<>();
  private final List<TestClient.Ws> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(TestClient.Ws::close);
    if (server != null) {
      server.close();
    }
  }

  private void start(TrustedProxies trusted, EngineOptions engine, ConnectionLimits limits) throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0).trustedProxies(trusted).engine(engine)
        .connectionLimits(limits).build();
    server.io().onConnection(s -> addresses.add(s.handshake().address()));
    server.start();
  }

  private void start(TrustedProxies trusted) throws Exception {
    start(trusted, EngineOptions.DEFAULT, ConnectionLimits.DEFAULT);
  }

  private TestClient from(String local) {
    return TestClient.to(server).from(local);
  }

  private static String[] forwarded(String xff) {
    return xff == null ? new String[0] : new String[] {"X-Forwarded-For", xff};
  }

  /** A polling handshake from {@code client}: the response (200 with the open packet, or the refusal). */
  private HttpResponse<String> pollingHandshake(TestClient client, String xff) {
    return client.get("/socket.io/?EIO=4&transport=polling", forwarded(xff));
  }

  /** The handshake address the server gives a Socket.IO socket connected over long-polling. */
  private String pollingAddress(String local, String xff) throws Exception {
    TestClient client = from(local);
    HttpResponse<String> open = pollingHandshake(client, xff);
    assertThat(open.statusCode()).isEqualTo(200);
    String sid = TestClient.JSON.readTree(open.body().substring(1)).path("sid").asText();
    HttpResponse<String> post = client.post("/socket.io/?EIO=4&transport=polling&sid=" + sid, "40", forwarded(xff));
    assertThat(post.body()).isEqualTo("ok");
    String address = addresses.poll(5, TimeUnit.SECONDS);
    assertThat(address).as("a socket connected").isNotNull();
    return address;
  }

  /** A WebSocket handshake from {@code local} with a forwarded address; open or refused, see {@link TestClient.Ws#status()}. */
  private TestClient.Ws upgrade(String local, String xff) {
    TestClient client = from(local);
    if (xff != null) {
      client = client.header("X-Forwarded-For", xff);
    }
    TestClient.Ws t = client.upgrade("/socket.io/?EIO=4&transport=websocket", null);
    sockets.add(t);
    return t;
  }

  /** The status of a WebSocket handshake from {@code local}; -1 when the connection was refused before an answer. */
  private int handshakeStatus(String local, String xff) {
    try {
      return upgrade(local, xff).status();
    } catch (java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /** A WebSocket from {@code local}, which must be upgraded, open packet read. */
  private TestClient.Ws websocket(String local, String xff) {
    TestClient.Ws t = upgrade(local, xff);
    assertThat(t.status()).as("WebSocket handshake").isEqualTo(101);
    assertThat(t.nextText()).startsWith("0{");
    return t;
  }

  /** The handshake address the server gives a Socket.IO socket connected over WebSocket. */
  private String websocketAddress(String local, String xff) throws Exception {
    TestClient.Ws t = websocket(local, xff);
    t.send("40");
    assertThat(t.nextNonPing()).startsWith("40{");
    String address = addresses.poll(5, TimeUnit.SECONDS);
    assertThat(address).as("a socket connected").isNotNull();
    return address;
  }

  @Test
  void aTrustedProxyForwardsTheClientAddressOverPollingAndWebSocket() throws Exception {
    start(TrustedProxies.of("127.0.0.1", "10.0.0.0/8"));
    assertThat(pollingAddress("127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(websocketAddress("127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
    // What a client wrote itself stays left of what nginx appended ($proxy_add_x_forwarded_for).
    assertThat(pollingAddress("127.0.0.1", "1.1.1.1, 198.51.100.20")).isEqualTo("198.51.100.20");
    assertThat(websocketAddress("127.0.0.1", "1.1.1.1, 198.51.100.20, 10.9.8.7")).isEqualTo("198.51.100.20");
    // No header from the proxy: the proxy is the client.
    assertThat(websocketAddress("127.0.0.1", null)).isEqualTo("127.0.0.1");
  }

  @Test
  void theHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
    start(TrustedProxies.of("127.0.0.1"));
    assertThat(pollingAddress("127.0.0.2", "203.0.113.7")).isEqualTo("127.0.0.2");
    assertThat(websocketAddress("127.0.0.2", "203.0.113.7")).isEqualTo("127.0.0.2");
  }

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
    start(TrustedProxies.NONE);
    assertThat(pollingAddress("127.0.0.1", "203.0.113.7")).isEqualTo("127.0.0.1");
    assertThat(websocketAddress("127.0.0.1", "203.0.113.7")).isEqualTo("127.0.0.1");
  }

  @Test
  void theHandshakeRateIsCountedPerForwardedAddress() throws Exception {
    // 0.5 handshakes a second with bursts of 1: a second handshake within 2 s is refused.
    start(TrustedProxies.of("127.0.0.1"),
        EngineOptions.builder().handshakesPerSecondPerIp(0.5).limitLoopback(true).build(), ConnectionLimits.DEFAULT);
    TestClient proxy = from("127.0.0.1");
    assertThat(pollingHandshake(proxy, "203.0.113.7").statusCode()).isEqualTo(200);
    assertThat(pollingHandshake(proxy, "203.0.113.7").statusCode()).isEqualTo(429);
    // Another client behind the same proxy has a bucket of its own, and so has the proxy.
    assertThat(pollingHandshake(proxy, "203.0.113.8").statusCode()).isEqualTo(200);
    assertThat(pollingHandshake(proxy, null).statusCode()).isEqualTo(200);
    // An untrusted peer cannot escape its bucket by forging a new address each time.
    TestClient untrusted = from("127.0.0.3");
    assertThat(pollingHandshake(untrusted, "198.51.100.1").statusCode()).isEqualTo(200);
    assertThat(pollingHandshake(untrusted, "198.51.100.2").statusCode()).isEqualTo(429);
  }

  @Test
  void theConnectionLimitIsCountedPerForwardedAddress() throws Exception {
    start(TrustedProxies.of("127.0.0.1"), EngineOptions.DEFAULT, new ConnectionLimits(1000, 2, false));
    TestClient.Ws first = websocket("127.0.0.1", "203.0.113.7");
    websocket("127.0.0.1", "203.0.113.7");
    assertThat(upgrade("127.0.0.1", "203.0.113.7").status()).as("refused before the upgrade").isEqualTo(429);
    // Other clients of the proxy are not affected.
    websocket("127.0.0.1", "203.0.113.8");
    websocket("127.0.0.1", "203.0.113.8");
    // A closed connection frees its place.
    first.close();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
      TestClient.Ws again = websocket("127.0.0.1", "203.0.113.7");
      assertThat(again.ended()).isNotDone();
    });
  }

  @Test
  void anUntrustedPeerIsCountedAsItselfWhateverItForwards() throws Exception {
    start(TrustedProxies.of("127.0.0.1"), EngineOptions.DEFAULT, new ConnectionLimits(1000, 2, true));
    websocket("127.0.0.2", "198.51.100.1");
    websocket("127.0.0.2", "198.51.100.2");
    assertThat(handshakeStatus("127.0.0.2", "198.51.100.3")).as("refused before the upgrade").isNotEqualTo(101);
  }
}
