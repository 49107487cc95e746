package io.parley.bench;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Option;

/** Options and plumbing shared by every scenario. */
abstract class Scenario implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:3000", description = "Server URL (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--threads", defaultValue = "1", description = "Load generator event loop threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--pid", defaultValue = "0", description = "Server process id: report its CPU time per unit of work and its RSS.")
  long pid;

  @Option(names = "--label", defaultValue = "server", description = "Name of the server in the JSON line (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds of warm-up before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--duration", defaultValue = "10", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
  int duration;

  @Option(names = "--connect-rate", defaultValue = "0", description = "Connections per second while setting up (0: as fast as possible).")
  double connectRate;

  /** Latencies in microseconds, recorded from any thread. */
  final Recorder latency = new Recorder(60_000_000L, 3);

  ProcessSampler sampler() {
    return pid > 0 ? new ProcessSampler(pid) : null;
  }

  /** Opens {@code n} clients and waits until they joined "/" (or failed). Returns how many connected. */
  int connectAll(ClientPool pool, int from, int n, BenchClient.Listener listener, AtomicInteger connected,
      long timeoutSeconds) throws Exception {
    AtomicInteger failed = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    pool.openMany(from, n, connectRate, listener, failed).get(timeoutSeconds, TimeUnit.SECONDS);
    while (connected.get() + failed.get() < n && System.nanoTime() < deadline) {
      progress("connecting: %d/%d connected, %d failed", connected.get(), n, failed.get());
      Thread.sleep(200);
    }
    return connected.get();
  }

  static void progress(String format, Object... args) {
    System.err.printf("\r" + format + "          ", args);
  }

  static Histogram copy(Recorder r) {
    return r.getIntervalHistogram();
  }

  Report base(String scenario) {
    return new Report().put("scenario", scenario).put("server", label).put("url", url.toString());
  }
}
