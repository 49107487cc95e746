package io.parley.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Many rooms, several senders: each message goes to one room with {@code bench:to}. */
@Command(name = "rooms", mixinStandardHelpOptions = true, description = "Room broadcasts: many rooms, many senders.")
final class RoomsScenario extends Scenario {
  @Option(names = "--clients", defaultValue = "1000", description = "Clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--rooms", defaultValue = "100", description = "Rooms; client i joins room i mod rooms (default: ${DEFAULT-VALUE}).")
  int rooms;

  @Option(names = "--senders", defaultValue = "10", description = "Sending clients (default: ${DEFAULT-VALUE}).")
  int senders;

  @Option(names = "--rate", defaultValue = "500", description = "Messages per second, all senders together (default: ${DEFAULT-VALUE}).")
  double rate;

  private final DeliveryWindow window = new DeliveryWindow(latency);
  private final LongAdder expected = new LongAdder();

  @Override
  public Integer call() throws Exception {
    ProcessSampler proc = sampler();
    AtomicInteger connected = new AtomicInteger();
    CountDownLatch joined = new CountDownLatch(clients);
    BenchClient.Listener listener = new BenchClient.Listener() {
      @Override
      public void onConnected(BenchClient c) {
        connected.incrementAndGet();
        c.emit("bench:join", "\"r" + (c.index % rooms) + "\"", true);
      }

      @Override
      public void onAck(BenchClient c, long ackId) {
        joined.countDown();
      }

      @Override
      public void onEvent(BenchClient c, long sentAt) {
        window.delivered(sentAt);
      }
    };
    int[] roomSize = new int[rooms];
    for (int i = 0; i < clients; i++) {
      roomSize[i % rooms]++;
    }
    try (ClientPool pool = new ClientPool(url, threads)) {
      int ok = connectAll(pool, 0, clients, listener, connected, 120);
      joined.await(60, TimeUnit.SECONDS);
      System.err.println();
      List<BenchClient> all = pool.clients();
      List<BenchClient> sending = all.subList(0, Math.min(senders, all.size()));
      double perSender = rate / sending.size();
      long begin = System.nanoTime();
      ScheduledFuture<?>[] tickers = new ScheduledFuture<?>[sending.size()];
      for (int k = 0; k < sending.size(); k++) {
        BenchClient s = sending.get(k);
        long[] sent = {0};
        int offset = k;
        tickers[k] = s.channel().eventLoop().scheduleAtFixedRate(() -> {
          long due = (long) ((System.nanoTime() - begin) / 1e9 * perSender);
          while (sent[0] < due) {
            int room = (int) ((sent[0] * sending.size() + offset) % rooms);
            sent[0]++;
            long t = System.nanoTime();
            if (window.contains(t)) {
              expected.add(roomSize[room]);
            }
            s.emit("bench:to", "{\"room\":\"r" + room + "\",\"data\":{\"t\":" + t + "}}", false);
          }
        }, 0, 1, TimeUnit.MILLISECONDS);
      }
      for (int s = 0; s < warmup; s++) {
        progress("warm-up %ds", warmup - s);
        Thread.sleep(1000);
      }
      long cpu0 = proc == null ? -1 : proc.cpuMicros();
      window.open();
      for (int s = 0; s < duration; s++) {
        Thread.sleep(1000);
        progress("measuring %d/%ds: %d deliveries", s + 1, duration, window.deliveries());
      }
      window.close();
      long cpu1 = proc == null ? -1 : proc.cpuMicros();
      for (ScheduledFuture<?> t : tickers) {
        t.cancel(false);
      }
      Thread.sleep(1000);
      System.err.println();
      Histogram h = latency.getIntervalHistogram();
      long d = window.deliveries();
      double seconds = window.seconds();
      Report rep = base("rooms").put("clients", ok).put("rooms", rooms).put("senders", sending.size())
          .put("rate_msgs_per_s", rate).put("deliveries", d)
          .put("deliveries_per_s", Math.round(d / seconds))
          .put("delivery_ratio", expected.sum() == 0 ? 0.0 : Report.round((double) d / expected.sum(), 4))
          .latency("latency", h);
      if (proc != null && d > 0) {
        rep.put("server_cpu_us_per_delivery", Report.round((double) (cpu1 - cpu0) / d, 2));
        rep.put("server_rss_mb", Report.round(proc.rssKb() / 1024.0, 1));
      }
      rep.print();
    }
    return 0;
  }
}
