package io.parley.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The result of a run: printed as a human summary and as one JSON line. */
final class Report {
  private final Map<String, Object> values = new LinkedHashMap<>();

  Object valuesGet(String key) {
    return values.get(key);
  }

  Report put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /** Adds p50/p90/p99/p999/max of a histogram recorded in microseconds, as milliseconds. */
  Report latency(String prefix, Histogram h) {
    put(prefix + "_p50_ms", ms(h.getValueAtPercentile(50)));
    put(prefix + "_p90_ms", ms(h.getValueAtPercentile(90)));
    put(prefix + "_p99_ms", ms(h.getValueAtPercentile(99)));
    put(prefix + "_p999_ms", ms(h.getValueAtPercentile(99.9)));
    put(prefix + "_max_ms", ms(h.getMaxValue()));
    return this;
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  void print() {
    System.out.println();
    values.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-28s %s%n", k, v));
    System.out.println(json());
  }

  String json() {
    StringBuilder sb = new StringBuilder("{");
    values.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(k).append("\":");
      if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    });
    return sb.append('}').toString();
  }
}
