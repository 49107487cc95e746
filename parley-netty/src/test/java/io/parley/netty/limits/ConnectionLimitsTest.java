package io.parley.netty.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ConnectionLimits;
import io.parley.server.engine.EngineOptions;
import io.parley.netty.ParleyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections in total and per address, and handshakes per address per second. */
@Timeout(30)
class ConnectionLimitsTest {
  private ParleyServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
  }

  /** A plain HTTP handshake from {@code source}; returns the status line, or "closed". */
  private String handshake(String source) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
    s.setSoTimeout(3000);
    OutputStream out = s.getOutputStream();
    out.write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[512];
    int n;
    try {
      n = in.read(buf);
    } catch (IOException e) {
      return "closed";
    }
    if (n <= 0) {
      return "closed";
    }
    String head = new String(buf, 0, n, StandardCharsets.US_ASCII);
    return head.substring(0, head.indexOf("\r\n"));
  }

  @Test
  void connectionsOverTheTotalAreClosedAtOnce() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .connectionLimits(new ConnectionLimits(3, 1000, false)).build().start();
    for (int i = 0; i < 3; i++) {
      assertThat(handshake("127.0.0.1")).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(handshake("127.0.0.1")).isEqualTo("closed");
  }

  @Test
  void connectionsOverThePerAddressLimitAreClosedButOtherAddressesGetIn() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .connectionLimits(new ConnectionLimits(1000, 2, true)).build().start();
    assertThat(handshake("127.0.0.1")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(handshake("127.0.0.1")).isEqualTo("HTTP/1.1 200 OK");
    assertThat(handshake("127.0.0.1")).isEqualTo("closed");
    assertThat(handshake("127.0.0.2")).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void loopbackPeersAreExemptFromThePerAddressLimitByDefault() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .connectionLimits(new ConnectionLimits(1000, 2, false)).build().start();
    for (int i = 0; i < 5; i++) {
      assertThat(handshake("127.0.0.1")).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  @Test
  void handshakesOverThePerAddressRateGet429() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .engine(EngineOptions.builder().handshakesPerSecondPerIp(2).limitLoopback(true).build()).build().start();
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      statuses.add(handshake("127.0.0.3"));
    }
    assertThat(statuses.subList(0, 4)).containsOnly("HTTP/1.1 200 OK"); // a burst of twice the rate
    assertThat(statuses).contains("HTTP/1.1 429 Too Many Requests");
    assertThat(handshake("127.0.0.4")).isEqualTo("HTTP/1.1 200 OK");
  }
}
