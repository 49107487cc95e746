package io.parley.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference Node.js server of {@code src/test/node/server.mjs} (socket.io 4.8 with
 * {@code @socket.io/redis-adapter} 8 and {@code @socket.io/redis-emitter} 5), run as a child
 * process and driven through JSON lines on its stdin and stdout.
 */
final class NodeServer implements AutoCloseable {
  static final Path DIR = Path.of("src/test/node").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final OutputStream stdin;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Events the server printed ({@code {"event": ...}}). */
  final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

  /** Runs {@code npm ci} when the pinned packages are not installed yet. */
  static synchronized void install() throws IOException, InterruptedException {
    Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed)
        && !Files.getLastModifiedTime(DIR.resolve("package-lock.json")).toInstant()
            .isAfter(Files.getLastModifiedTime(installed).toInstant())) {
      return; // installed, and not older than the lock file
    }
    // Not inheritIO(): the surefire fork's stdin and stdout are its channel to Maven; a child
    // sharing them can mark stdin non-blocking ("std/in stream corrupted") or write into stdout.
    Path log = Path.of("target", "npm-ci.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    npm.getOutputStream().close();
    if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new IllegalStateException("npm ci failed in " + DIR + ":\n" + Files.readString(log));
    }
  }

  NodeServer(String key, RedisFixture.Mode mode) throws Exception {
    this(key, mode == RedisFixture.Mode.SHARDED ? "sharded" : "classic");
  }

  /** {@code mode}: classic, sharded or streams (the Redis Streams adapter, recovery on). */
  NodeServer(String key, String mode) throws Exception {
    install();
    process = new ProcessBuilder("node", "server.mjs", key, mode)
        .directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    stdin = process.getOutputStream();
    Thread reader = new Thread(this::readStdout, "node-server-stdout");
    reader.setDaemon(true);
    reader.start();
    port.get(15, TimeUnit.SECONDS);
  }

  private void readStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode m;
        try {
          m = JSON.readTree(line);
        } catch (IOException e) {
          System.err.println("[node] " + line);
          continue;
        }
        if (m.has("ready")) {
          port.complete(m.get("ready").asInt());
        } else if (m.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
          if (f != null) {
            if (m.has("error")) {
              f.completeExceptionally(new IllegalStateException("node: " + m.get("error").asText()));
            } else {
              f.complete(m.get("result"));
            }
          }
        } else {
          events.add(m);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("node server ended before it was ready"));
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("node server exited")));
  }

  int port() {
    return port.join();
  }

  /** Runs a command of server.mjs and returns its result (waits up to 10 s). */
  JsonNode call(String cmd, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode line = JSON.valueToTree(params);
    line.put("id", id);
    line.put("cmd", cmd);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    synchronized (stdin) {
      stdin.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }
    return f.get(10, TimeUnit.SECONDS);
  }

  JsonNode call(String cmd) throws Exception {
    return call(cmd, Map.of());
  }

  @Override
  public void close() throws Exception {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(3, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
    }
  }
}
