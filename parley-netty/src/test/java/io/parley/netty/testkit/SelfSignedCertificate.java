package io.parley.netty.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost / 127.0.0.1, made by the JDK's keytool, for TLS tests. */
public final class SelfSignedCertificate {
  private SelfSignedCertificate() {}

  /** Writes {@code cert.pem} and {@code key.pem} (PKCS#8) into {@code dir} and returns the certificate. */
  public static X509Certificate create(Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "parley", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit", "-noprompt"))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("parley", "changeit".toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("parley");
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(dir.resolve("cert.pem"),
        "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("key.pem"),
        "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return cert;
  }
}
