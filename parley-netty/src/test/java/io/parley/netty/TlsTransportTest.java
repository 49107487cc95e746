package io.parley.netty;

import io.parley.netty.testkit.TestClient;
import io.parley.server.engine.EchoHandler;
import io.parley.server.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS: a self-signed certificate made by the JDK's keytool at test time (no extra dependency),
 * handed to the server as PEM files; the client trusts anything.
 */
@Timeout(30)
class TlsTransportTest {
  @TempDir
  static Path dir;
  private static Path certPem;
  private static Path keyPem;

  private final AtomicBoolean sawSecure = new AtomicBoolean();
  private ParleyServer server;
  private TestClient https;

  @BeforeAll
  static void selfSignedCertificate() throws Exception {
    io.parley.netty.testkit.SelfSignedCertificate.create(dir);
    certPem = dir.resolve("cert.pem");
    keyPem = dir.resolve("key.pem");
  }

  static SSLContext trustAll() throws Exception {
    TrustManager tm = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
    return ctx;
  }

  @BeforeEach
  void start() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0)
        .tls(certPem.toFile(), keyPem.toFile())
        .endpoint(EngineOptions.builder().path("/engine.io/").allowRequest(r -> {
          sawSecure.set(r.secure());
          return null;
        }).build(), new EchoHandler())
        .build().start();
    https = TestClient.to(server).tls(trustAll());
  }

  @AfterEach
  void stop() {
    https.close();
    server.close();
  }

  @Test
  void pollingHandshakeOverHttps() throws Exception {
    HttpResponse<String> r = https.get("/engine.io/?EIO=4&transport=polling");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("0{\"sid\":").contains("\"upgrades\":[\"websocket\"]");
    assertThat(r.sslSession()).isPresent();
    assertThat(sawSecure).as("the handshake request is marked secure").isTrue();
  }

  @Test
  void pollingEchoOverHttps() throws Exception {
    String sid = https.open("/engine.io/");

    assertThat(https.post(TestClient.pollingTarget("/engine.io/", sid), "4secret").body()).isEqualTo("ok");
    assertThat(https.get(TestClient.pollingTarget("/engine.io/", sid)).body()).isEqualTo("4secret");
  }

  @Test
  void webSocketEchoOverWss() throws Exception {
    TestClient.Ws ws = https.upgrade("/engine.io/?EIO=4&transport=websocket", null);
    try {
      assertThat(ws.nextText()).startsWith("0{\"sid\":");
      ws.send("4over tls");
      assertThat(ws.nextText()).isEqualTo("4over tls");
    } finally {
      ws.close();
    }
  }

  @Test
  void theCertificateIsTheOneGenerated() throws Exception {
    try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout(5_000);
      s.startHandshake();
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }
  }
}
