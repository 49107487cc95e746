package io.parley.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code src/test/node/recovery-client.mjs}: the official socket.io-client 4.8, cut at random
 * moments and moving between two servers, run as a child process; its JSON lines are read here.
 */
final class NodeRecoveryClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();

  NodeRecoveryClient(String urlA, String urlB, String transport, int cuts, String room, long seed) throws Exception {
    NodeServer.install();
    process = new ProcessBuilder("node", "recovery-client.mjs", urlA, urlB, transport, Integer.toString(cuts), room,
        Long.toString(seed)).directory(NodeServer.DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          try {
            lines.add(JSON.readTree(line));
          } catch (IOException e) {
            System.err.println("[recovery-client] " + line);
          }
        }
      } catch (IOException e) {
        // ended
      }
    }, "recovery-client-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line that has {@code key}, waiting up to {@code seconds}. */
  JsonNode await(String key, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      JsonNode n = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (n == null) {
        throw new AssertionError("recovery-client printed no \"" + key + "\" within " + seconds + " s");
      }
      if (n.has(key)) {
        return n.get(key);
      }
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(3, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
