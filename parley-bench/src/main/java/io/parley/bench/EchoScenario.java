package io.parley.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** K clients in a closed loop: emit {@code bench:echo} with an ack, send the next on its arrival. */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "Closed-loop request/ack round trips.")
final class EchoScenario extends Scenario {
  @Option(names = "--clients", defaultValue = "50", description = "Clients, one request in flight each (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--size", defaultValue = "32", description = "Padding bytes per request (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--rate", defaultValue = "0", description = "Requests per second over all clients, each "
      + "client pacing its own (0: closed loop, as fast as the acks come; default: ${DEFAULT-VALUE}). "
      + "For latency at a given load, e.g. half the closed-loop maximum.")
  double rate;

  private volatile boolean measuring;
  private volatile boolean running = true;
  private final LongAdder acks = new LongAdder();

  @Override
  public Integer call() throws Exception {
    ProcessSampler proc = sampler();
    String payload = "{\"p\":\"" + "x".repeat(Math.max(0, size)) + "\"}";
    AtomicInteger connected = new AtomicInteger();
    BenchClient.Listener listener = new BenchClient.Listener() {
      @Override
      public void onConnected(BenchClient c) {
        connected.incrementAndGet();
      }

      @Override
      public void onAck(BenchClient c, long ackId) {
        long now = System.nanoTime();
        if (measuring) {
          acks.increment();
          latency.recordValue((now - c.inFlightSince) / 1000);
        }
        if (running) {
          next(c, payload, now);
        }
      }
    };
    try (ClientPool pool = new ClientPool(url, threads)) {
      int ok = connectAll(pool, 0, clients, listener, connected, 60);
      System.err.println();
      for (BenchClient c : pool.clients()) {
        if (c.connected()) {
          c.nextDue = System.nanoTime() + (long) (Math.random() * interval());
          c.channel().eventLoop().execute(() -> next(c, payload, System.nanoTime()));
        }
      }
      for (int s = 0; s < warmup; s++) {
        progress("warm-up %ds", warmup - s);
        Thread.sleep(1000);
      }
      latency.reset();
      long cpu0 = proc == null ? -1 : proc.cpuMicros();
      long t0 = System.nanoTime();
      measuring = true;
      for (int s = 0; s < duration; s++) {
        Thread.sleep(1000);
        progress("measuring %d/%ds: %d acks", s + 1, duration, acks.sum());
      }
      measuring = false;
      long t1 = System.nanoTime();
      long cpu1 = proc == null ? -1 : proc.cpuMicros();
      running = false;
      System.err.println();
      Histogram h = latency.getIntervalHistogram();
      long n = acks.sum();
      Report rep = base(rate > 0 ? "echo-paced" : "echo").put("clients", ok).put("target_rate", rate).put("acks", n)
          .put("acks_per_s", Math.round(n / ((t1 - t0) / 1e9)))
          .latency("rtt", h);
      if (proc != null && n > 0) {
        rep.put("server_cpu_us_per_ack", Report.round((double) (cpu1 - cpu0) / n, 2));
        rep.put("server_rss_mb", Report.round(proc.rssKb() / 1024.0, 1));
      }
      rep.print();
    }
    return 0;
  }

  /** Nanoseconds between two requests of one client at {@code --rate}; 0 in a closed loop. */
  private long interval() {
    return rate > 0 ? (long) (1e9 * clients / rate) : 0;
  }

  /** Sends the client's next request now (closed loop, or late) or when its pace says. */
  private void next(BenchClient c, String payload, long now) {
    long interval = interval();
    if (interval == 0) {
      send(c, payload);
      return;
    }
    c.nextDue = Math.max(c.nextDue + interval, now - interval); // behind by more than one: no burst
    long delay = c.nextDue - now;
    if (delay <= 0) {
      send(c, payload);
    } else {
      c.channel().eventLoop().schedule(() -> send(c, payload), delay, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private static void send(BenchClient c, String payload) {
    c.inFlightSince = System.nanoTime();
    c.emit("bench:echo", payload, true);
  }
}
