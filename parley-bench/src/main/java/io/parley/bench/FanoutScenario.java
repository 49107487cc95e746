package io.parley.bench;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * N receivers, one sender emitting {@code bench:broadcast} at a fixed rate; the server sends each
 * message to every socket (sender included). Measures deliveries per second, delivery ratio and
 * latency from send to receipt.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, description = "Broadcast fan-out: one sender, N receivers.")
final class FanoutScenario extends Scenario {
  @Option(names = "--clients", defaultValue = "1000", description = "Receivers (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--rate", defaultValue = "50", description = "Messages per second sent (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--size", defaultValue = "32", description = "Padding bytes per message (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--find-max", description = "Raise the rate step by step until p99 > 100 ms or deliveries < 99 %%.")
  boolean findMax;

  @Option(names = "--steps", defaultValue = "12", description = "Most steps of --find-max (default: ${DEFAULT-VALUE}).")
  int steps;

  private final DeliveryWindow window = new DeliveryWindow(latency);
  private final LongAdder sentInWindow = new LongAdder();

  @Override
  public Integer call() throws Exception {
    ProcessSampler proc = sampler();
    AtomicInteger connected = new AtomicInteger();
    BenchClient.Listener listener = new BenchClient.Listener() {
      @Override
      public void onConnected(BenchClient c) {
        connected.incrementAndGet();
      }

      @Override
      public void onEvent(BenchClient c, long sentAt) {
        window.delivered(sentAt);
      }
    };
    try (ClientPool pool = new ClientPool(url, threads)) {
      int ok = connectAll(pool, 0, clients + 1, listener, connected, 120);
      System.err.println();
      if (ok < clients + 1) {
        System.err.printf("only %d of %d clients connected%n", ok, clients + 1);
      }
      BenchClient sender = pool.clients().get(0);
      String pad = "x".repeat(Math.max(0, size));
      Report best = null;
      double r = rate;
      for (int step = 0; step < (findMax ? steps : 1); step++) {
        Report rep = runAt(sender, r, pad, ok, proc);
        rep.print();
        boolean pass = (double) rep.valuesGet("delivery_ratio") >= 0.99 && (double) rep.valuesGet("latency_p99_ms") <= 100;
        if (!findMax) {
          return 0;
        }
        if (!pass) {
          break;
        }
        best = rep;
        r *= 1.3;
      }
      if (best != null) {
        System.out.println("best passing step:");
        best.put("scenario", "fanout-max").print();
      }
    }
    return 0;
  }

  private Report runAt(BenchClient sender, double msgsPerSec, String pad, int receivers, ProcessSampler proc)
      throws InterruptedException {
    window.reset();
    sentInWindow.reset();
    long begin = System.nanoTime();
    long[] sent = {0};
    ScheduledFuture<?> ticker = sender.channel().eventLoop().scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      long due = (long) ((now - begin) / 1e9 * msgsPerSec);
      while (sent[0] < due) {
        sent[0]++;
        long t = System.nanoTime();
        if (window.contains(t)) {
          sentInWindow.increment();
        }
        sender.emit("bench:broadcast", "{\"t\":" + t + ",\"p\":\"" + pad + "\"}", false);
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    for (int s = 0; s < warmup; s++) {
      progress("warm-up %ds at %.0f msg/s", warmup - s, msgsPerSec);
      Thread.sleep(1000);
    }
    long cpu0 = proc == null ? -1 : proc.cpuMicros();
    window.open();
    for (int s = 0; s < duration; s++) {
      Thread.sleep(1000);
      progress("measuring %d/%ds: %d deliveries", s + 1, duration, window.deliveries());
    }
    window.close();
    ticker.cancel(false);
    long cpu1 = proc == null ? -1 : proc.cpuMicros();
    Thread.sleep(1000); // let the last messages of the window arrive
    System.err.println();
    Histogram h = latency.getIntervalHistogram();
    double seconds = window.seconds();
    long d = window.deliveries();
    long expected = sentInWindow.sum() * receivers;
    Report rep = base("fanout")
        .put("clients", receivers)
        .put("rate_msgs_per_s", Report.round(msgsPerSec, 1))
        .put("sent", sentInWindow.sum())
        .put("deliveries", d)
        .put("deliveries_per_s", Math.round(d / seconds))
        .put("delivery_ratio", expected == 0 ? 0.0 : Report.round((double) d / expected, 4))
        .latency("latency", h);
    if (proc != null && d > 0) {
      rep.put("server_cpu_us_per_delivery", Report.round((double) (cpu1 - cpu0) / d, 2));
      rep.put("server_rss_mb", Report.round(proc.rssKb() / 1024.0, 1));
    }
    return rep;
  }
}
