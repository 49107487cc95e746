package io.parley.redis;

import io.parley.netty.testkit.OfficialClient;
import io.parley.netty.testkit.TestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.server.engine.EngineOptions;
import io.parley.netty.ParleyServer;
import io.parley.netty.TrustedProxies;
import io.parley.server.Handshake;
import io.parley.server.ServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Parley nodes joined through the real Redis, behind a real nginx (Debian's, started as a
 * child process) configured from {@code deploy/nginx/parley.conf.template}, driven by long-polling
 * clients that each send from a source address of their own (127.0.0.x).
 *
 * <p>It lives beside the other cluster tests because it needs what they have: the Redis fixture
 * (a key prefix per test), Parley nodes in-process ({@code sessionCount()} per node) and the
 * official client. nginx is required, not optional: without it the tests fail and say how to
 * install it ({@code .ci/run} installs it).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NginxStickinessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENTS = 12;
  private static final int NODES = 3;
  /** A short heartbeat, so that the sticky test also sees several pings answered through nginx. */
  private static final EngineOptions ENGINE = EngineOptions.builder()
      .pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(5)).build();
  private static final String STICKY = "    hash $remote_addr consistent;\n";
  private static final String IP_HASH = "    # ip_hash;\n";

  @TempDir Path tmp;
  private RedisFixture fx;
  private final List<ParleyServer> nodes = new ArrayList<>();
  private final List<PollingClient> clients = new ArrayList<>();
  /** The handshake of every socket connected to any node. */
  private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
  private Nginx nginx;

  @BeforeEach
  void startNodes() throws Exception {
    fx = new RedisFixture(RedisFixture.Mode.CLASSIC);
    for (int i = 0; i < NODES; i++) {
      // nginx connects to the nodes from 127.0.0.1: trusted, as deploy/cluster.sh trusts it.
      ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0).ioThreads(1).engine(ENGINE)
          .trustedProxies(TrustedProxies.of("127.0.0.1"))
          .server(ServerOptions.builder().adapterFactory(RedisAdapters.classic(fx.redis, fx.options())).build())
          .build();
      // The bench-server handler this test needs: a broadcast to every socket of the cluster.
      s.io().onConnection(socket -> {
        handshakes.add(socket.handshake());
        socket.on("bench:broadcast", (args, ack) -> s.io().emit("bench:msg", args.get(0)));
      });
      fx.closeLater(s);
      s.start();
      RedisFixture.awaitReady(s.io().sockets());
      nodes.add(s);
    }
  }

  @AfterEach
  void stopAll() {
    clients.forEach(PollingClient::stop);
    if (nginx != null) {
      nginx.close();
    }
    if (fx != null) {
      fx.close();
    }
    clients.forEach(PollingClient::join);
  }

  // --- the configuration files -------------------------------------------------------------

  @Test
  void theCommittedConfigIsTheTemplateRenderedForTheDefaults() throws Exception {
    String committed = Files.readString(repo().resolve("deploy/nginx/parley.conf"));
    assertThat(committed).as("deploy/nginx/parley.conf is `deploy/cluster.sh config` of the template")
        .isEqualTo(render("8080", List.of(8081, 8082, 8083)));
    Process p = new ProcessBuilder("bash", repo().resolve("deploy/cluster.sh").toString(), "config")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("cluster.sh renders the template as this test does").isEqualTo(committed);
    assertThat(committed).contains(STICKY, IP_HASH, "proxy_http_version 1.1;", "proxy_buffering off;",
        "proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;");
  }

  // --- through nginx -------------------------------------------------------------------------

  @Test
  void stickyPollingClientsSpreadOverEveryNodeStayOnItAndReachEachOther() throws Exception {
    startNginx(config(STICKY));

    // One client per source address, 127.0.0.2 upwards. Which node took each handshake is read
    // from the nodes' session counts. The ring of `hash ... consistent` depends on the nodes' ports
    // (random here), so 12 addresses leave a node empty about 2 % of the time: then more
    // addresses are added until every node has a client.
    int[] perNode = new int[NODES];
    Map<PollingClient, Integer> nodeOf = new ConcurrentHashMap<>();
    for (int x = 2; clients.size() < CLIENTS || Arrays.stream(perNode).anyMatch(n -> n == 0); x++) {
      assertThat(x).as("source addresses tried").isLessThan(60);
      PollingClient c = client(x);
      int node = handshakeLandsOn(c);
      perNode[node]++;
      nodeOf.put(c, node);
    }
    assertThat(perNode).as("sessions per node").doesNotContain(0);

    for (PollingClient c : clients) {
      c.connect();
      c.startPolling();
    }
    // Several heartbeats each (pingInterval 1 s), each a GET and a POST that must hit the client's node.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertNoFailures();
      assertThat(clients).allMatch(c -> c.pongs.get() >= 3, "answered 3 pings");
    });
    assertThat(sessionCounts()).as("sessions per node, unchanged").containsExactly(perNode);
    // The nodes see who the client is and how it came (X-Forwarded-For, X-Forwarded-Proto).
    assertThat(handshakes).extracting(h -> h.headers().get("x-forwarded-for"))
        .containsExactlyInAnyOrderElementsOf(clients.stream().map(c -> c.source.getHostAddress()).toList());
    assertThat(handshakes).extracting(h -> h.headers().get("x-forwarded-proto")).containsOnly("http");
    // ... and, trusting nginx, take the client's address from X-Forwarded-For.
    assertThat(handshakes).extracting(Handshake::address)
        .containsExactlyInAnyOrderElementsOf(clients.stream().map(c -> c.source.getHostAddress()).toList());

    // A WebSocket client through nginx too (the upgrade headers): the official client.
    OfficialClient ws = fx.closeLater(new OfficialClient(nginx.port, "/", null, "ws"));

    // A broadcast from a client of one node reaches the clients of every node, through Redis.
    PollingClient sender = clients.get(0);
    int senderNode = nodeOf.get(sender);
    assertThat(clients).anyMatch(c -> nodeOf.get(c) != senderNode);
    sender.emit("bench:broadcast", "{\"from\":\"" + sender.source.getHostAddress() + "\"}");
    String expected = "42[\"bench:msg\",{\"from\":\"" + sender.source.getHostAddress() + "\"}]";
    for (PollingClient c : clients) {
      assertThat(c.events.poll(10, TimeUnit.SECONDS))
          .as("broadcast received by %s on node %d (sender on node %d)", c.source, nodeOf.get(c), senderNode)
          .isEqualTo(expected);
    }
    assertThat(ws.next("bench:msg")).hasToString("{\"from\":\"" + sender.source.getHostAddress() + "\"}");
    assertNoFailures();
    assertThat(clients).allMatch(c -> c.requests.get() >= 8, "made at least 8 requests");
    // nginx's own record: every request of a source address went to one node, and all nodes served.
    Map<String, Set<String>> upstreams = nginx.upstreamsBySource();
    for (PollingClient c : clients) {
      assertThat(upstreams.get(c.source.getHostAddress())).as("nodes that served %s", c.source)
          .containsExactly("127.0.0.1:" + nodes.get(nodeOf.get(c)).port());
    }
    assertThat(upstreams.values().stream().flatMap(Set::stream).distinct()).hasSize(NODES);
    System.out.printf("nginx (hash $remote_addr consistent): %d polling clients, sessions per node %s, "
        + "%d requests, all answered 200, every client's on one node%n", clients.size(), Arrays.toString(perNode),
        clients.stream().mapToInt(c -> c.requests.get()).sum());
  }

  @Test
  void withoutStickinessThePollingSessionsBreak() throws Exception {
    // The same configuration with its one stickiness line removed: nginx's default round robin.
    startNginx(config(""));

    for (int x = 2; x < 2 + CLIENTS; x++) {
      PollingClient c = client(x);
      Response handshake = c.handshake();
      assertThat(handshake.status()).isEqualTo(200);
      // The next requests of the session (as a client would make them) land on other nodes.
      List<Response> next = List.of(c.post("40"), c.get());
      assertThat(next).as("requests after the handshake of %s", c.source)
          .anyMatch(r -> r.status() == 400 && isSessionIdUnknown(r.body()));
    }
    // nginx's own record: the requests of each source address went to several nodes.
    Map<String, Set<String>> upstreams = nginx.upstreamsBySource();
    for (PollingClient c : clients) {
      assertThat(upstreams.get(c.source.getHostAddress())).as("nodes that served %s", c.source).hasSizeGreaterThan(1);
    }
  }

  @Test
  void ipHashSendsEveryLoopbackClientToOneNode() throws Exception {
    // The documented alternative: ip_hash keys IPv4 clients on the first three octets only.
    startNginx(config(IP_HASH.replace("# ", "")));

    for (int x = 2; x < 2 + CLIENTS; x++) {
      PollingClient c = client(x);
      c.handshake();
      c.connect();
    }
    assertNoFailures();
    assertThat(sessionCounts()).as("sessions per node").containsExactlyInAnyOrder(CLIENTS, 0, 0);
  }

  @Test
  void theTlsExampleTerminatesTlsAndRedirectsPlainHttp() throws Exception {
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    X509Certificate cert = selfSignedCertificate(certs);
    int http = freePort();
    int https = freePort();
    // The commented example, uncommented, on loopback ports, with a certificate made here.
    String example = tlsExample(Files.readString(repo().resolve("deploy/nginx/parley.conf.template")));
    String tls = replaceOnce(example, "listen 80;", "listen 127.0.0.1:" + http + ";");
    tls = replaceOnce(tls, "listen 443 ssl;", "listen 127.0.0.1:" + https + " ssl;");
    tls = replaceOnce(tls, "/etc/letsencrypt/live/chat.example.com/fullchain.pem", certs.resolve("cert.pem").toString());
    tls = replaceOnce(tls, "/etc/letsencrypt/live/chat.example.com/privkey.pem", certs.resolve("key.pem").toString());
    startNginx(config(STICKY) + tls);

    PollingClient plain = new PollingClient(InetAddress.getByName("127.0.0.2"), http);
    Response redirect = plain.request("GET", "/socket.io/?EIO=4&transport=polling", null);
    plain.join();
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.headers().get("location")).isEqualTo("https://127.0.0.1/socket.io/?EIO=4&transport=polling");

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("parley", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    try (TestClient client = TestClient.to(https).tls(ssl)) {
      // Long polling over HTTPS.
      HttpResponse<String> open = client.get("/socket.io/?EIO=4&transport=polling");
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.body()).startsWith("0{\"sid\":");

      // A WebSocket over TLS (wss), upgraded by nginx, then a Socket.IO CONNECT.
      try (TestClient.Ws ws = client.websocket()) {
        assertThat(ws.openPacket()).startsWith("0{\"sid\":");
        ws.send("40");
        assertThat(ws.nextNonPing()).as("a frame over wss").startsWith("40{\"sid\":"); // pings ("2") may come first
        Handshake h = handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(h).isNotNull();
        assertThat(h.headers()).containsEntry("x-forwarded-proto", "https").containsEntry("x-forwarded-for", "127.0.0.1");
        ws.sendClose(1000);
      }
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The commented TLS example of the template, uncommented. */
  static String tlsExample(String template) {
    int start = template.indexOf("# --- TLS termination");
    int end = template.indexOf("# --- end of the TLS example");
    assertThat(start).isNotNegative();
    assertThat(end).isGreaterThan(start);
    StringBuilder out = new StringBuilder();
    boolean inBlock = false;
    for (String line : template.substring(start, end).split("\n")) {
      inBlock |= line.equals("# server {");
      if (inBlock) {
        assertThat(line).as("every line of the example is commented").startsWith("#");
        out.append(line.startsWith("# ") ? line.substring(2) : line.substring(1)).append('\n');
      }
    }
    return out.toString();
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text).as("the TLS example").containsOnlyOnce(from);
    return text.replace(from, to);
  }

  /** cert.pem and key.pem in {@code dir}: a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
  static X509Certificate selfSignedCertificate(Path dir) throws Exception {
    // nginx's workers (nobody, when the tests run as root) never read them: the master loads them.
    return io.parley.netty.testkit.SelfSignedCertificate.create(dir);
  }


  private PollingClient client(int lastOctet) throws IOException {
    PollingClient c = new PollingClient(InetAddress.getByName("127.0.0." + lastOctet), nginx.port);
    clients.add(c);
    return c;
  }

  /** Handshakes {@code c} and returns the index of the node whose session count grew. */
  private int handshakeLandsOn(PollingClient c) throws Exception {
    int[] before = sessionCounts();
    c.handshake();
    int[] after = await().atMost(Duration.ofSeconds(5))
        .until(this::sessionCounts, a -> Arrays.stream(a).sum() == Arrays.stream(before).sum() + 1);
    return IntStream.range(0, NODES).filter(i -> after[i] == before[i] + 1).findFirst().orElseThrow();
  }

  private int[] sessionCounts() {
    return nodes.stream().mapToInt(ParleyServer::sessionCount).toArray();
  }

  private void assertNoFailures() {
    List<String> failures = clients.stream().flatMap(c -> c.failures.stream()).toList();
    assertThat(failures).as("failed requests; nginx access log:%n%s", nginx.accessLog()).isEmpty();
  }

  private static boolean isSessionIdUnknown(String body) {
    try {
      JsonNode error = JSON.readTree(body);
      return error.path("code").asInt() == 1 && "Session ID unknown".equals(error.path("message").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** The template for the running nodes, listening on a free loopback port, with this balancing line. */
  private String config(String balancing) throws IOException {
    String conf = render("127.0.0.1:" + freePort(), nodes.stream().map(ParleyServer::port).toList());
    assertThat(conf).contains(STICKY);
    return conf.replace(STICKY, balancing);
  }

  private void startNginx(String parleyConf) throws Exception {
    Matcher listen = Pattern.compile("listen 127\\.0\\.0\\.1:(\\d+);").matcher(parleyConf);
    assertThat(listen.find()).isTrue();
    nginx = Nginx.start(tmp.resolve("nginx"), parleyConf, Integer.parseInt(listen.group(1)));
  }

  /**
   * deploy/nginx/parley.conf.template rendered as deploy/cluster.sh renders it: {@code @LISTEN@}
   * replaced, the {@code @UPSTREAM_SERVERS@} line replaced by a server line per node.
   */
  static String render(String listen, List<Integer> nodePorts) throws IOException {
    StringBuilder out = new StringBuilder();
    Pattern servers = Pattern.compile("^(\\s*)@UPSTREAM_SERVERS@\\s*$");
    for (String line : Files.readAllLines(repo().resolve("deploy/nginx/parley.conf.template"))) {
      Matcher m = servers.matcher(line);
      if (m.matches()) {
        for (int port : nodePorts) {
          out.append(m.group(1)).append("server 127.0.0.1:").append(port).append(";\n");
        }
      } else {
        out.append(line.replace("@LISTEN@", listen)).append('\n');
      }
    }
    return out.toString();
  }

  /** The root of the checkout (the tests run in the module's directory). */
  static Path repo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("deploy/nginx/parley.conf.template"))) {
        return p;
      }
    }
    throw new IllegalStateException("deploy/nginx/parley.conf.template not found above " + Path.of("").toAbsolutePath());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Debian's nginx as a child process, in a prefix directory of its own (as deploy/cluster.sh runs it). */
  static final class Nginx implements AutoCloseable {
    final Path dir;
    final int port;
    final Process process;

    private Nginx(Path dir, int port, Process process) {
      this.dir = dir;
      this.port = port;
      this.process = process;
    }

    static Path binary() {
      List<Path> candidates = new ArrayList<>();
      for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!d.isEmpty()) {
          candidates.add(Path.of(d, "nginx"));
        }
      }
      candidates.add(Path.of("/usr/sbin/nginx"));
      return candidates.stream().filter(Files::isExecutable).findFirst().orElseGet(() ->
          fail("nginx is not installed (looked on the PATH and at /usr/sbin/nginx): these tests need it; "
              + "install Debian's with `apt-get install -y nginx-light` (.ci/run does)"));
    }

    static Nginx start(Path dir, String parleyConf, int port) throws Exception {
      Path bin = binary();
      Files.createDirectories(dir);
      // When the tests run as root, nginx's workers run as nobody and must reach their temp dirs.
      Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.copy(repo().resolve("deploy/nginx/nginx.local.conf"), dir.resolve("nginx.conf"));
      Files.writeString(dir.resolve("parley.conf"), parleyConf);
      Process p = new ProcessBuilder(bin.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
          "-e", dir.resolve("error.log").toString(), "-g", "daemon off;")
          .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
      Nginx n = new Nginx(dir, port, p);
      try {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
          if (!p.isAlive()) {
            throw new AssertionError("nginx exited with " + p.exitValue() + ":\n" + n.read("nginx.out")
                + n.read("error.log"));
          }
          return accepts(port);
        });
      } catch (Throwable t) {
        n.close();
        throw t;
      }
      return n;
    }

    private static boolean accepts(int port) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    String read(String file) {
      try {
        Path f = dir.resolve(file);
        return Files.exists(f) ? Files.readString(f) : "";
      } catch (IOException e) {
        return "(" + e + ")";
      }
    }

    String accessLog() {
      return read("access.log");
    }

    /** From the access log (format `parley` of nginx.local.conf): client address -> upstreams that answered it. */
    Map<String, Set<String>> upstreamsBySource() {
      Map<String, Set<String>> by = new TreeMap<>();
      Pattern line = Pattern.compile("^(\\S+) \\[.*\\] \".*\" \\d+ -> (.+)$");
      for (String l : accessLog().split("\n")) {
        Matcher m = line.matcher(l);
        if (m.matches()) {
          by.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
      }
      return by;
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL for the master and its workers if it lingers. */
    @Override
    public void close() {
      List<ProcessHandle> workers = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          workers.forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An answer to one HTTP request (header names in lower case). */
  record Response(int status, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /**
   * An Engine.IO v4 long-polling client bound to one source address (what no Socket.IO client lets
   * one choose): the shared {@link TestClient}'s HTTP requests, with what these tests count on top:
   * the requests made, the pongs, the requests that did not succeed, and the events received.
   */
  static final class PollingClient {
    private static final String PATH = "/socket.io/?EIO=4&transport=polling";
    private static final char SEPARATOR = '\u001e';
    final InetAddress source;
    private final TestClient http;
    volatile String sid;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger pongs = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** The EVENT packets received, as sent ({@code 42[...]}). */
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile boolean stopped;
    private Thread poller;

    PollingClient(InetAddress source, int port) {
      this.source = source;
      this.http = TestClient.to(port).from(source.getHostAddress());
    }

    /** GET without sid: the OPEN packet; keeps the sid. */
    Response handshake() throws IOException {
      Response r = request("GET", PATH, null);
      if (r.status() == 200 && r.body().startsWith("0{")) {
        sid = JSON.readTree(r.body().substring(1)).path("sid").asText();
      } else {
        failures.add(source + " handshake: " + r);
      }
      return r;
    }

    /** Socket.IO CONNECT to the main namespace, then GETs until the server's CONNECT arrives. */
    void connect() throws IOException {
      Response r = post("40");
      if (r.status() != 200) {
        throw new IllegalStateException(source + " CONNECT refused: " + r);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        Response g = get();
        if (g.status() != 200) {
          throw new IllegalStateException(source + " GET failed while connecting: " + g);
        }
        for (String packet : packets(g.body())) {
          if (packet.startsWith("40{")) {
            return;
          }
          handle(packet);
        }
      }
      throw new IllegalStateException(source + ": no CONNECT packet within 10 s");
    }

    /** Polls on a virtual thread until stopped: answers pings, keeps events. */
    void startPolling() {
      poller = Thread.ofVirtual().name("poll-" + source.getHostAddress()).start(() -> {
        while (!stopped) {
          try {
            Response g = get();
            if (g.status() != 200) {
              return;
            }
            for (String packet : packets(g.body())) {
              handle(packet);
            }
          } catch (IOException e) {
            if (!stopped) {
              failures.add(source + " GET: " + e);
            }
            return;
          }
        }
      });
    }

    private void handle(String packet) throws IOException {
      if (packet.equals("2")) {
        if (post("3").status() == 200) {
          pongs.incrementAndGet();
        }
      } else if (packet.startsWith("42")) {
        events.add(packet);
      } else if (packet.equals("1")) {
        stopped = true;
      }
    }

    void emit(String event, String json) throws IOException {
      Response r = post("42[\"" + event + "\"," + json + "]");
      assertThat(r.status()).as("emit from %s: %s", source, r).isEqualTo(200);
    }

    Response get() throws IOException {
      return request("GET", PATH + "&sid=" + sid, null);
    }

    Response post(String body) throws IOException {
      return request("POST", PATH + "&sid=" + sid, body);
    }

    void stop() {
      stopped = true;
    }

    void join() {
      if (poller != null) {
        try {
          poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      http.close();
    }

    static List<String> packets(String payload) {
      return payload.isEmpty() ? List.of() : Arrays.asList(payload.split(String.valueOf(SEPARATOR)));
    }

    /** One request from {@link #source}; records it if it did not succeed. */
    Response request(String method, String target, String body) throws IOException {
      requests.incrementAndGet();
      HttpResponse<String> answer;
      try {
        answer = body == null ? http.send(method, target)
            : http.post(target, body, "Content-Type", "text/plain;charset=UTF-8");
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      Map<String, String> headers = new TreeMap<>();
      answer.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      Response r = new Response(answer.statusCode(), headers, answer.body());
      boolean ok = r.status() == 200 && (body == null || r.body().equals("ok"));
      if (!ok && !stopped) {
        failures.add(source + " " + method + " " + target + " -> " + r);
      }
      return r;
    }
  }
}
