package io.parley.bench;

import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Opens N clients at a rate and holds them: connect time, failures, and server memory per connection. */
@Command(name = "connect", mixinStandardHelpOptions = true, description = "Open and hold many connections.")
final class ConnectScenario extends Scenario {
  @Option(names = "--clients", defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--rate", defaultValue = "2000", description = "New connections per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--hold", defaultValue = "5", description = "Seconds to hold them before measuring memory (default: ${DEFAULT-VALUE}).")
  int hold;

  @Option(names = "--warmup-clients", defaultValue = "0", description = "Connections opened and closed at the "
      + "same rate before measuring, in rounds of --clients, so that a JIT-compiled server is measured warm "
      + "(default: ${DEFAULT-VALUE}).")
  int warmupClients;

  @Option(names = "--gc-command", description = "Shell command run before each memory sample to make the "
      + "server collect garbage ({pid} is replaced by --pid), e.g. 'jcmd {pid} GC.run' for a JVM or "
      + "'kill -USR2 {pid}' for the Node peer; memory is then read once it has settled.")
  String gcCommand;

  @Override
  public Integer call() throws Exception {
    connectRate = rate;
    ProcessSampler proc = sampler();
    double warmCpuPerConnection = warmupClients > 0 ? warmUp(proc) : -1;
    long rss0 = proc == null ? -1 : settledRss(proc);
    long cpu0 = proc == null ? -1 : proc.cpuMicros();
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    BenchClient.Listener listener = new BenchClient.Listener() {
      @Override
      public void onConnected(BenchClient c) {
        connected.incrementAndGet();
        latency.recordValue((c.connectedAt - c.startedAt) / 1000);
      }

      @Override
      public void onClosed(BenchClient c, boolean wasConnected) {
        if (wasConnected) {
          closed.incrementAndGet();
        }
      }
    };
    try (ClientPool pool = new ClientPool(url, threads)) {
      long t0 = System.nanoTime();
      int ok = connectAll(pool, 0, clients, listener, connected, Math.max(60, (long) (clients / Math.max(rate, 1)) * 3));
      long t1 = System.nanoTime();
      long cpu1 = proc == null ? -1 : proc.cpuMicros();
      System.err.println();
      for (int s = 0; s < hold; s++) {
        progress("holding %d connections: %ds left, %d dropped", connected.get() - closed.get(), hold - s, closed.get());
        Thread.sleep(1000);
      }
      System.err.println();
      Histogram h = latency.getIntervalHistogram();
      Report rep = base("connect").put("clients", clients).put("connected", ok)
          .put("failed", clients - ok).put("dropped_while_held", closed.get())
          .put("seconds_to_connect_all", Report.round((t1 - t0) / 1e9, 2))
          .latency("connect", h);
      if (proc != null) {
        long rss1 = settledRss(proc);
        if (ok > 0 && cpu0 >= 0 && cpu1 >= 0) {
          double afterGc = Report.round((double) (cpu1 - cpu0) / ok, 1);
          // With a warm-up, the setup cost is its last round's: a warm server in its own steady state.
          // The measured round follows the collection forced for the memory baseline, and a JVM
          // that gives memory back (as compare.sh runs them) then regrows its heap through a burst
          // of collections within that round: reported beside it, not as the setup cost.
          rep.put("server_cpu_us_per_connection", warmCpuPerConnection >= 0 ? warmCpuPerConnection : afterGc);
          if (warmCpuPerConnection >= 0) {
            rep.put("server_cpu_us_per_connection_after_gc", afterGc);
          }
        }
        rep.put("server_rss_mb", Report.round(rss1 / 1024.0, 1));
        if (ok > 0 && rss0 > 0) {
          rep.put("server_rss_kb_per_connection", Report.round((double) (rss1 - rss0) / ok, 2));
        }
      }
      rep.print();
    }
    return 0;
  }

  /**
   * Opens and closes {@code --warmup-clients} connections in rounds of at most {@code --clients}:
   * the measured phase itself, repeated and closed, so that a JIT has seen the opening and the
   * closing of a full round before it is measured (one round of many connections followed by one
   * mass close leaves profiles of closing only, and the opening is then compiled again while
   * measured). Each round starts once the server is done with the last ({@link #settle}) and comes
   * from source addresses of its own (the measured round's start at 127.0.0.1, each warm-up round's
   * further up), so no new connection meets a connection of an earlier round still in TIME_WAIT on
   * the server. Returns the server's CPU per
   * connection over the opening of the last full round (-1 without {@code --pid}).
   */
  private double warmUp(ProcessSampler proc) throws Exception {
    int stride = (clients + ClientPool.PER_SOURCE_ADDRESS - 1) / ClientPool.PER_SOURCE_ADDRESS * ClientPool.PER_SOURCE_ADDRESS;
    double cpuPerConnection = -1;
    int r = 0;
    for (int done = 0; done < warmupClients; r++) {
      int round = Math.min(clients, warmupClients - done);
      AtomicInteger warm = new AtomicInteger();
      BenchClient.Listener counting = new BenchClient.Listener() {
        @Override
        public void onConnected(BenchClient c) {
          warm.incrementAndGet();
        }
      };
      try (ClientPool pool = new ClientPool(url, threads)) {
        long cpu0 = proc == null ? -1 : proc.cpuMicros();
        int ok = connectAll(pool, (r + 1) * stride, round, counting, warm, Math.max(60, (long) (round / Math.max(rate, 1)) * 3));
        if (proc != null && ok > 0 && round == clients) {
          cpuPerConnection = Report.round((double) (proc.cpuMicros() - cpu0) / ok, 1);
        }
      }
      done += round;
      System.err.println();
      settle(proc);
    }
    return cpuPerConnection;
  }

  /**
   * Waits for the server to finish with the closed round: at least 2 s, then until it used at most
   * one clock tick (10 ms) of CPU in half a second, at most 15 s in all, so that the next round's
   * CPU is its own.
   */
  private static void settle(ProcessSampler proc) throws InterruptedException {
    Thread.sleep(2000);
    if (proc == null) {
      return;
    }
    long deadline = System.nanoTime() + 13_000_000_000L;
    while (System.nanoTime() < deadline) {
      long c0 = proc.cpuMicros();
      Thread.sleep(500);
      if (proc.cpuMicros() - c0 <= 10_000) {
        return;
      }
    }
  }

  /**
   * The server's RSS after the {@code --gc-command} (when given) once it stops moving: sampled every
   * 250 ms until two samples agree within 1 %, at most 5 s.
   */
  private long settledRss(ProcessSampler proc) throws Exception {
    if (gcCommand != null) {
      Process p = new ProcessBuilder("sh", "-c", gcCommand.replace("{pid}", String.valueOf(proc.pid())))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    long last = proc.rssKb();
    for (int i = 0; i < 20; i++) {
      Thread.sleep(250);
      long now = proc.rssKb();
      if (Math.abs(now - last) <= last / 100) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
