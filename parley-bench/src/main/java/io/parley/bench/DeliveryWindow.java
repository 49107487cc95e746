package io.parley.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counts deliveries of messages sent inside a measurement window (by the {@code "t":} send time
 * they carry) and records their latency, so warm-up traffic and stragglers don't count.
 */
final class DeliveryWindow {
  private volatile long start = Long.MAX_VALUE;
  private volatile long end = Long.MAX_VALUE;
  private final LongAdder delivered = new LongAdder();
  private final Recorder latency;

  DeliveryWindow(Recorder latency) {
    this.latency = latency;
  }

  void reset() {
    delivered.reset();
    start = Long.MAX_VALUE;
    end = Long.MAX_VALUE;
  }

  void open() {
    latency.reset();
    start = System.nanoTime();
  }

  void close() {
    end = System.nanoTime();
  }

  /** Whether a message sent at {@code t} belongs to the window. */
  boolean contains(long t) {
    return t >= start && t < end;
  }

  /** A message sent at {@code sentAt} arrived now. */
  void delivered(long sentAt) {
    if (contains(sentAt)) {
      delivered.increment();
      latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
    }
  }

  long deliveries() {
    return delivered.sum();
  }

  double seconds() {
    return (end - start) / 1e9;
  }
}
