package io.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parley.chat.config.ChatConfig;
import io.parley.chat.web.StaticSite;
import io.parley.netty.testkit.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web client's own tests, run by {@code ./parley test}: the hooks' Vitest units, and the
 * end-to-end suite ({@code web/e2e}, headless Debian Chromium driven by playwright-core) against a
 * real application started here on a random port with a fresh data dir and a webhook secret.
 * Skipped when the build left the web client out ({@code -Dweb.skip}). Chromium must be at
 * {@code /usr/bin/chromium} ({@code apt-get install chromium}; {@code .ci/run} installs it) or
 * named by {@code CHROMIUM_PATH}.
 */
class WebClientTest {
  private static final long TIMEOUT_SECONDS = 240;

  private static Path webDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("web");
      if (Files.isRegularFile(candidate.resolve("package.json")) && Files.isDirectory(candidate.resolve("e2e"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("web/package.json not found above " + Path.of("").toAbsolutePath());
  }

  private static void assumeBuilt(Path web) {
    assumeTrue(new StaticSite("/web").built(), "the web client is not on the classpath (built with -Dweb.skip)");
    assumeTrue(Files.isDirectory(web.resolve("node_modules")), "web/node_modules is missing (built with -Dweb.skip)");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void hookUnitTestsPass() throws Exception {
    Path web = webDir();
    assumeBuilt(web);
    ChildProcess run = run(new ProcessBuilder("npm", "test", "--silent", "--", "--reporter=verbose").directory(web.toFile()), Map.of(), "vitest");
    if (run.exitCode() != 0) {
      fail("vitest failed (exit " + run.exitCode() + "):\n" + run.tail(80));
    }
    assertThat(run.lines()).anyMatch(l -> l.matches(".*Tests\\s+\\d+ passed.*"));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void browserEndToEndPasses() throws Exception {
    Path web = webDir();
    assumeBuilt(web);
    String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(chromium + " is missing: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH");
    }
    Path data = Files.createTempDirectory("parley-web-e2e");
    String webhook = "wh-" + UUID.randomUUID();
    String admin = "admin-" + UUID.randomUUID();
    String jwt = "jwt-" + UUID.randomUUID() + UUID.randomUUID();
    ChatConfig config = ChatConfig.builder().host("127.0.0.1").port(0).dataDir(data).webhookSecret(webhook)
        .adminPassword(admin).jwtSecret(jwt).bcryptCost(4)
        .adminUi(io.parley.chat.config.ChatConfig.AdminUiConfig.defaults()) // for e2e/admin-ui.test.mjs
        .build();
    try (ChatApp app = ChatApp.start(config)) {
      Map<String, String> env = Map.of("PARLEY_URL", "http://127.0.0.1:" + app.port(), "PARLEY_WEBHOOK_SECRET", webhook,
          "PARLEY_ADMIN_PASSWORD", admin, "PARLEY_JWT_SECRET", jwt, "CHROMIUM_PATH", chromium);
      long start = System.nanoTime();
      ChildProcess run = run(new ProcessBuilder("node", "--test", "--test-reporter=spec", "--test-concurrency=1", "e2e/")
          .directory(web.toFile()), env, "e2e");
      System.out.printf("[e2e] finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
      if (run.exitCode() != 0) {
        fail("the browser e2e suite failed (exit " + run.exitCode() + "):\n" + run.tail(120));
      }
      assertThat(run.lines()).anyMatch(l -> l.matches("\\S*\\s*pass [1-9]\\d*"));
      assertThat(run.lines()).anyMatch(l -> l.matches("\\S*\\s*fail 0"));
    } finally {
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Runs an npm or node command of the web client; fails the test when it cannot start or outlives its time. */
  private static ChildProcess run(ProcessBuilder pb, Map<String, String> env, String tag) throws Exception {
    pb.redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("FORCE_COLOR", "0");
    ChildProcess run;
    try {
      run = ChildProcess.run(pb, TIMEOUT_SECONDS, tag);
    } catch (IOException e) {
      throw new AssertionError("cannot start " + pb.command() + " (Node 20+ and npm must be on the PATH): " + e.getMessage(), e);
    }
    if (run.timedOut()) {
      fail(tag + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + run.tail(80));
    }
    return run;
  }
}
