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

  @Override
  public Integer call() throws Exception {
    ProcessSampler proc = sampler();
    long rss0 = proc == null ? -1 : proc.rssKb();
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
    connectRate = rate;
    try (ClientPool pool = new ClientPool(url, threads)) {
      long t0 = System.nanoTime();
      int ok = connectAll(pool, 0, clients, listener, connected, Math.max(60, (long) (clients / Math.max(rate, 1)) * 3));
      long t1 = System.nanoTime();
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
        long rss1 = proc.rssKb();
        rep.put("server_rss_mb", Report.round(rss1 / 1024.0, 1));
        if (ok > 0 && rss0 > 0) {
          rep.put("server_rss_kb_per_connection", Report.round((double) (rss1 - rss0) / ok, 2));
        }
      }
      rep.print();
    }
    return 0;
  }
}
