package io.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.parley.app.fixture.FixtureServer;
import io.parley.netty.testkit.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the Node suite in {@code tests/node} (the official {@code socket.io-client} from npm, over
 * real sockets) against {@link FixtureServer} started in this JVM, once on each {@link Binding}:
 * Netty, and {@code ParleyServlet} in embedded Tomcat.
 *
 * <p>System properties: {@code parley.node.files} (space-separated files or directories relative to
 * {@code tests/node}, default: all of it), {@code parley.node.args} (extra arguments for
 * {@code node}, e.g. {@code --test-name-pattern=rooms}), {@code parley.node.timeoutSeconds}
 * (default 300), {@code parley.node.bindings} (comma-separated, default {@code netty,servlet}).
 */
class NodeClientSuiteTest {
  private static final long NPM_CI_TIMEOUT_SECONDS = 300;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Binding.class)
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void officialNodeClientPassesTheSuite(Binding binding) throws Exception {
    Assumptions.assumeTrue(Arrays.stream(System.getProperty("parley.node.bindings", "netty,servlet").split(","))
        .anyMatch(b -> b.strip().equalsIgnoreCase(binding.name())), "binding not selected by parley.node.bindings");
    try (FixtureServer fixture = FixtureServer.start(binding, "127.0.0.1", 0)) {
      run(binding, fixture);
    }
  }

  private static void run(Binding binding, FixtureServer fixture) throws Exception {
    Path dir = nodeDir();
    ensureNodeModules(dir);

    List<String> cmd = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
    String extra = System.getProperty("parley.node.args", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(Arrays.asList(extra.split("\\s+")));
    }
    String files = System.getProperty("parley.node.files", "").trim();
    if (files.isEmpty()) {
      cmd.add(".");
    } else {
      cmd.addAll(Arrays.asList(files.split("\\s+")));
    }
    long timeout = Long.getLong("parley.node.timeoutSeconds", 300);

    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PARLEY_URL", fixture.url());
    pb.environment().put("NO_COLOR", "1");
    System.out.println("[node-suite] " + binding + ": " + String.join(" ", cmd) + " in " + dir + " with PARLEY_URL=" + fixture.url());
    ChildProcess run;
    try {
      run = ChildProcess.run(pb, timeout, "node");
    } catch (IOException e) {
      throw new AssertionError("cannot start `node` (Node 20+ must be on the PATH): " + e.getMessage(), e);
    }
    if (run.timedOut()) {
      fail("the node suite did not finish within " + timeout + " s and was killed; last output:\n" + run.tail(60));
    }
    if (run.exitCode() != 0) {
      fail("the node suite failed (exit code " + run.exitCode() + "); failures and summary:\n" + failures(run.lines()));
    }
    // Exit code 0 with no test run would be a broken setup, not a pass.
    assertThat(run.lines()).as("the runner's summary reports passed tests")
        .anyMatch(l -> l.matches("\\S*\\s*pass [1-9]\\d*"));
    assertThat(run.lines()).as("the runner's summary reports no failure").anyMatch(l -> l.matches("\\S*\\s*fail 0"));
  }

  private static Path nodeDir() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      Path candidate = d.resolve("tests").resolve("node");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("tests/node/package.json not found above " + p);
  }

  private static void ensureNodeModules(Path dir) throws Exception {
    Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed) && !Files.getLastModifiedTime(dir.resolve("package-lock.json")).toInstant()
        .isAfter(Files.getLastModifiedTime(installed).toInstant())) {
      return; // installed, and not older than the lock file
    }
    String hint = "tests/node/node_modules is missing and `npm ci` failed; run `npm ci` in " + dir + " (needs Node 20+ and npm)";
    ChildProcess run;
    try {
      run = ChildProcess.run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true),
          NPM_CI_TIMEOUT_SECONDS, "npm");
    } catch (IOException e) {
      throw new AssertionError(hint + ": " + e.getMessage(), e);
    }
    if (run.timedOut() || run.exitCode() != 0) {
      fail(hint + "\n" + run.tail(30));
    }
  }

  /** The spec reporter's failure section (after "failing tests:") and summary, or the tail. */
  private static String failures(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("failing tests:")) {
        List<String> section = lines.subList(i, lines.size());
        return String.join("\n", section.subList(0, Math.min(section.size(), 400)));
      }
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }
}
