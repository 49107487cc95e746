package io.parley.netty.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.netty.ParleyServer;
import io.parley.server.http.HttpResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every event loop accepts its own connections (on Linux: one listening socket per loop with
 * SO_REUSEPORT, accepted once the request arrived): connections land on every loop, a connection
 * that sends nothing at first is still served once it speaks, a second server on a taken port still
 * fails, and the port is free again after close.
 */
@Timeout(30)
class AcceptOnEveryLoopTest {
  private ParleyServer first;
  private ParleyServer second;

  @AfterEach
  void stop() {
    for (ParleyServer s : new ParleyServer[] {first, second}) {
      if (s != null) {
        s.close();
      }
    }
  }

  /** A server whose route /thread answers with the name of the thread that served the request. */
  private static ParleyServer threadEcho(int port, boolean acceptOnEveryLoop) {
    return ParleyServer.builder().host("127.0.0.1").port(port).ioThreads(2).acceptOnEveryLoop(acceptOnEveryLoop)
        .route((req, res) -> {
          if (!req.uri().equals("/thread")) {
            return false;
          }
          res.respond(HttpResponse.text(200, Thread.currentThread().getName()).header("Connection", "close"));
          return true;
        }).build();
  }

  /** GET /thread on a new connection, after waiting {@code silentMillis} with nothing sent. */
  private static String servingThread(int port, long silentMillis) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      if (silentMillis > 0) {
        Thread.sleep(silentMillis); // a client that connects and only later sends its request
      }
      OutputStream out = s.getOutputStream();
      out.write("GET /thread HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      return in.readLine();
    }
  }

  @Test
  void connectionsAreServedByEveryLoop() throws Exception {
    first = threadEcho(0, true).start();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 64 && threads.size() < 2; i++) {
      threads.add(servingThread(first.port(), 0));
    }
    // the kernel spreads connections over the two listening sockets by their addresses and ports:
    // 64 connections all on one loop would happen with probability 2^-63
    assertThat(threads).hasSize(2);
  }

  @Test
  void aConnectionSilentAtFirstIsServedOnceItSpeaks() throws Exception {
    first = threadEcho(0, true).start();
    assertThat(servingThread(first.port(), 300)).isNotBlank();
  }

  @Test
  void aSecondServerOnATakenPortFailsAndTheFirstKeepsServing() throws Exception {
    first = threadEcho(0, true).start();
    int port = first.port();
    second = threadEcho(port, true);
    assertThatThrownBy(second::start).hasMessageContaining("cannot bind");
    for (int i = 0; i < 16; i++) {
      assertThat(servingThread(port, 0)).isNotBlank(); // none of them reaches a half-started second server
    }
  }

  @Test
  void thePortIsFreeAgainAfterClose() throws Exception {
    first = threadEcho(0, true).start();
    int port = first.port();
    servingThread(port, 0);
    first.close();
    second = threadEcho(port, true).start();
    assertThat(servingThread(port, 0)).isNotBlank();
  }

  @Test
  void oneAcceptorThreadWhenTurnedOff() throws Exception {
    first = threadEcho(0, false).start();
    assertThat(servingThread(first.port(), 0)).isNotBlank();
  }
}
