package io.parley.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  private TestHttp https;

  @BeforeAll
  static void selfSignedCertificate() throws Exception {
    Path keystore = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "parley", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit", "-noprompt"))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("parley", "changeit".toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("parley");
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    certPem = Files.writeString(dir.resolve("cert.pem"),
        "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    keyPem = Files.writeString(dir.resolve("key.pem"),
        "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
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
    https = new TestHttp("https://127.0.0.1:" + server.port(), trustAll());
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

    assertThat(https.post(TestHttp.polling("/engine.io/", sid), "4secret").body()).isEqualTo("ok");
    assertThat(https.get(TestHttp.polling("/engine.io/", sid)).body()).isEqualTo("4secret");
  }

  @Test
  void webSocketEchoOverWss() throws Exception {
    TestWebSocket ws = TestWebSocket.connect(https.client,
        "wss://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket");
    try {
      assertThat(ws.nextText()).startsWith("0{\"sid\":");
      ws.send("4over tls");
      assertThat(ws.nextText()).isEqualTo("4over tls");
    } finally {
      ws.abort();
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
