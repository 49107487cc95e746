package io.parley.adminui;

import io.parley.server.DisconnectReason;

import io.parley.server.ServerMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine-level counts the UI charts ({@code aggregatedEvents} of {@code server_stats}), per
 * second: {@code rawConnection}, {@code rawDisconnection} (by reason), {@code packetsIn} /
 * {@code packetsOut} and {@code bytesIn} / {@code bytesOut}. Fed as a {@link ServerMetrics} sink;
 * each call is a map lookup and an add, on the caller's thread.
 */
final class EventCounts implements ServerMetrics {
  private record Key(long second, String type, String subType) {}

  private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();
  /** Off once the instrumentation is closed (a metrics sink cannot be removed from the server). */
  private volatile boolean on = true;

  void stop() {
    on = false;
    counts.clear();
  }

  private void add(String type, String subType, long n) {
    if (!on) {
      return;
    }
    Key k = new Key(System.currentTimeMillis() / 1000, type, subType);
    LongAdder a = counts.get(k);
    if (a == null) {
      a = counts.computeIfAbsent(k, x -> new LongAdder());
    }
    a.add(n);
  }

  @Override
  public void connectionOpened() {
    add("rawConnection", null, 1);
  }

  @Override
  public void connectionClosed(DisconnectReason reason) {
    add("rawDisconnection", reason.text(), 1);
  }

  /** One call per Engine.IO frame (a polling request body counts as one). */
  @Override
  public void bytesIn(long bytes) {
    add("packetsIn", null, 1);
    add("bytesIn", null, bytes);
  }

  @Override
  public void bytesOut(long bytes) {
    add("packetsOut", null, 1);
    add("bytesOut", null, bytes);
  }

  /** The counts so far as {@code [{timestamp, type, subType?, count}]}, which are then forgotten. */
  List<Map<String, Object>> drain() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Iterator<Map.Entry<Key, LongAdder>> it = counts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, LongAdder> e = it.next();
      it.remove();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timestamp", e.getKey().second() * 1000);
      m.put("type", e.getKey().type());
      if (e.getKey().subType() != null) {
        m.put("subType", e.getKey().subType());
      }
      m.put("count", e.getValue().sum());
      out.add(m);
    }
    return out;
  }
}
