package io.parley.netty.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of a test (node, npm): its output copied to the test log line by line and kept,
 * killed with its own children when it outlives its time.
 *
 * @param exitCode the exit code, -1 when it was killed
 * @param timedOut whether it was killed for running too long
 * @param lines every line it printed (stdout, and stderr when redirected to it)
 */
public record ChildProcess(int exitCode, boolean timedOut, List<String> lines) {

  /** Starts {@code pb} and waits for it at most {@code timeoutSeconds}; {@code tag} prefixes its log lines. */
  public static ChildProcess run(ProcessBuilder pb, long timeoutSeconds, String tag) throws IOException, InterruptedException {
    Process proc = pb.start();
    List<String> lines = new ArrayList<>();
    Thread pump = Thread.ofPlatform().daemon().name(tag + "-output").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[" + tag + "] " + line);
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        System.out.println("[" + tag + "] output closed: " + e);
      }
    });
    boolean done = proc.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      proc.descendants().forEach(ProcessHandle::destroyForcibly);
      proc.destroyForcibly();
      proc.waitFor(10, TimeUnit.SECONDS);
    }
    pump.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (lines) {
      return new ChildProcess(done ? proc.exitValue() : -1, !done, List.copyOf(lines));
    }
  }

  /** Its last {@code n} lines, joined. */
  public String tail(int n) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
