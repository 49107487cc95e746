package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.rawGet;
import static io.parley.netty.client.ClientKit.sidOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.engine.EngineOptions;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.testkit.TestClient;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.ConnectError;
import io.parley.server.ServerOptions;
import io.socket.client.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An Engine.IO connection must join a namespace within connectTimeout or be closed. */
@Timeout(20)
class ConnectTimeoutTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

  private TestServer server() {
    return kit.server(ServerOptions.builder().connectTimeout(CONNECT_TIMEOUT).build(), EngineOptions.DEFAULT, io -> {
      io.of("/guarded").use(socket -> {
        throw new ConnectError("go away");
      });
    });
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void aWebSocketThatNeverSendsConnectIsClosed() {
    TestServer server = server();
    long start = System.nanoTime();
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");

    await(raw.ended());

    assertThat(millisSince(start)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toMillis());
    assertThat(raw.received()).isEmpty();
    ClientKit.awaitUntil(() -> server.sessionCount() == 0 && server.io().connectionCount() == 0);
  }

  @Test
  void aPollingSessionThatNeverSendsConnectIsClosed() {
    TestServer server = server();
    long start = System.nanoTime();
    HttpResponse<String> handshake = rawGet(server, "EIO=4&transport=polling");
    String sid = sidOf(handshake.body());

    HttpResponse<String> parked = rawGet(server, "EIO=4&transport=polling&sid=" + sid);

    assertThat(parked.statusCode()).isEqualTo(200);
    assertThat(parked.body()).isEqualTo("1");
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toMillis());
    HttpResponse<String> after = rawGet(server, "EIO=4&transport=polling&sid=" + sid);
    assertThat(after.statusCode()).isEqualTo(400);
    assertThat(json(after.body())).isEqualTo(json("{'code':1,'message':'Session ID unknown'}"));
  }

  @Test
  void aConnectionRefusedByAMiddlewareIsClosedToo() {
    TestServer server = server();
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");
    long start = System.nanoTime();

    raw.send("40/guarded,");

    assertThat(raw.nextText()).isEqualTo("44/guarded,{\"message\":\"go away\"}");
    await(raw.ended());
    assertThat(millisSince(start)).isLessThan(CONNECT_TIMEOUT.toMillis() + 2000);
    ClientKit.awaitUntil(() -> server.sessionCount() == 0);
  }

  @Test
  void aConnectionToAnInvalidNamespaceIsClosedToo() {
    TestServer server = server();
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");

    raw.send("40/nowhere,");

    assertThat(raw.nextText()).isEqualTo("44/nowhere,{\"message\":\"Invalid namespace\"}");
    await(raw.ended());
  }

  @Test
  void aConnectionThatJoinedAndLeftStaysOpen() {
    TestServer server = server();
    TestClient.Ws raw = kit.rawWebSocket(server);
    assertThat(raw.openPacket()).startsWith("0{");
    raw.send("40");
    assertThat(raw.nextText()).startsWith("40{\"sid\":");

    raw.send("41");

    Awaitility.await().during(CONNECT_TIMEOUT.multipliedBy(3)).atMost(ClientKit.WAIT)
        .until(() -> !raw.ended().isDone());
    assertThat(server.sessionCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theOfficialClientJoinsInTimeAndStaysConnected(Transport transport) {
    TestServer server = server();

    Socket client = kit.connect(server, transport);

    Awaitility.await().during(CONNECT_TIMEOUT.multipliedBy(3)).atMost(ClientKit.WAIT).until(client::connected);
    assertThat(server.sessionCount()).isEqualTo(1);
  }
}
