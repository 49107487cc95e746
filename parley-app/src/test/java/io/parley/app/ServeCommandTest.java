package io.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code parley serve} as a process of its own: JSON logs on standard error (every line one
 * object) and trusted proxies, each set by flag or by environment variable.
 */
@Timeout(120)
class ServeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("open http://localhost:(\\d+)/");

  @TempDir
  Path dir;

  /** A running {@code serve}: its port (from standard output) and its standard error lines. */
  private record Served(Process process, int port, Path stderr) {}

  private Served serve(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.parley.app.Main", "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString()));
    cmd.addAll(List.of(args));
    // Standard error to a file: a pipe read while the process exits may lose its last lines.
    Path stderr = dir.resolve("stderr.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    BlockingQueue<Integer> port = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> lines(p.getInputStream(), line -> {
      Matcher m = URL.matcher(line);
      if (m.find()) {
        port.add(Integer.parseInt(m.group(1)));
      }
    }));
    Integer bound = port.poll(60, TimeUnit.SECONDS);
    if (bound == null) {
      p.destroyForcibly();
      throw new AssertionError("serve did not start within 60 s; stderr: " + Files.readString(stderr));
    }
    return new Served(p, bound, stderr);
  }

  private static void lines(java.io.InputStream in, java.util.function.Consumer<String> sink) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        sink.accept(line);
      }
    } catch (java.io.IOException e) {
      // the process ended
    }
  }

  /** Stops the process with SIGTERM (graceful) and returns its standard error, every line of it. */
  private static List<String> stop(Served s) throws Exception {
    s.process().destroy();
    assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
    return Files.readAllLines(s.stderr(), StandardCharsets.UTF_8);
  }

  private static int failedLogin(HttpClient client, int port, String xff, int n) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
        .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", xff)
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody-" + n + "\",\"password\":\"wrong-password\"}"))
        .build();
    return client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** 20 failed logins forwarded for one address, then the 21st: 429 when the header was believed. */
  private static void assertThrottledByForwardedAddress(int port) throws Exception {
    HttpClient proxy = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .localAddress(InetAddress.getByName("127.0.0.1")).build();
    for (int i = 0; i < 20; i++) {
      assertThat(failedLogin(proxy, port, "203.0.113.77", i)).isEqualTo(401);
    }
    assertThat(failedLogin(proxy, port, "203.0.113.77", 20)).isEqualTo(429);
    assertThat(failedLogin(proxy, port, "203.0.113.78", 21)).as("another forwarded client").isEqualTo(401);
  }

  private static void assertEveryLineIsAJsonLogEvent(List<String> stderr) throws Exception {
    assertThat(stderr).isNotEmpty();
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr) {
      events.add(JSON.readTree(line));
    }
    for (JsonNode e : events) {
      assertThat(e.isObject()).isTrue();
      assertThat(e.path("timestamp").isIntegralNumber()).as(e.toString()).isTrue();
      assertThat(e.path("level").asText()).as(e.toString()).isIn("INFO", "WARN", "ERROR");
      assertThat(e.path("loggerName").asText()).as(e.toString()).isNotEmpty();
      assertThat(e.path("threadName").asText()).as(e.toString()).isNotEmpty();
      assertThat(e.has("formattedMessage")).as(e.toString()).isTrue();
      assertThat(e.path("mdc").isObject()).as(e.toString()).isTrue();
    }
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("loggerName").asText()).isEqualTo("io.parley.netty.ParleyServer");
      assertThat(e.path("formattedMessage").asText()).startsWith("Parley listening on 127.0.0.1:");
    });
    assertThat(events).anySatisfy(e -> assertThat(e.path("formattedMessage").asText()).isEqualTo("Parley chat stopped"));
  }

  @Test
  void flagsJsonLogsAndATrustedProxy() throws Exception {
    assertJsonLogsAndThrottlingByForwardedAddress(
        serve(Map.of(), "--log-format", "json", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "127.0.0.1"));
  }

  @Test
  void environmentJsonLogsAndTrustedProxies() throws Exception {
    assertJsonLogsAndThrottlingByForwardedAddress(
        serve(Map.of("PARLEY_LOG_FORMAT", "json", "PARLEY_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")));
  }

  private void assertJsonLogsAndThrottlingByForwardedAddress(Served s) throws Exception {
    List<String> stderr;
    try {
      assertThrottledByForwardedAddress(s.port());
    } finally {
      stderr = stop(s);
    }
    assertEveryLineIsAJsonLogEvent(stderr);
  }

  @Test
  void textLogsByDefaultAndNoHeaderBelievedWithoutATrustedProxy() throws Exception {
    Served s = serve(Map.of());
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int i = 0; i < 20; i++) {
        assertThat(failedLogin(client, s.port(), "203.0.113." + i, i)).isEqualTo(401);
      }
      assertThat(failedLogin(client, s.port(), "203.0.113.99", 20)).as("all from 127.0.0.1").isEqualTo(429);
    } finally {
      List<String> stderr = stop(s);
      assertThat(stderr).anySatisfy(l -> assertThat(l).matches(
          "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] io\\.parley\\.netty\\.ParleyServer - Parley listening on 127\\.0\\.0\\.1:\\d+ .*"));
      assertThat(stderr).noneSatisfy(l -> assertThat(l).startsWith("{"));
      assertThat(stderr).noneSatisfy(l -> assertThat(l).contains("com.zaxxer.hikari"));
    }
  }

  @Test
  void badValuesAreUsageErrors() {
    for (String[] args : List.of(new String[] {"serve", "--log-format", "xml"},
        new String[] {"serve", "--trusted-proxy", "proxy.example"},
        new String[] {"bench-server", "--trusted-proxy", "10.0.0.0/40"})) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute(args);
      assertThat(code).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString()).contains(args[1]);
    }
  }
}
