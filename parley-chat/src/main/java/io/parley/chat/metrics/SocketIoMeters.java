package io.parley.chat.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.server.DisconnectReason;
import io.parley.server.ServerMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Parley's own metrics ({@link ServerMetrics}) as Micrometer meters. Meters are looked up once per
 * tag value and cached, so the hot paths only increment. Tag values are namespace names and the
 * fixed disconnect reasons.
 */
final class SocketIoMeters implements ServerMetrics {
  private final MeterRegistry registry;
  private final AtomicLong connections = new AtomicLong();
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter volatileDropped;
  private final Counter slowClients;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

  SocketIoMeters(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("parley_engine_connections", connections);
    bytesIn = Counter.builder("parley_engine_bytes_in").description("Engine.IO bytes received").register(registry);
    bytesOut = Counter.builder("parley_engine_bytes_out").description("Engine.IO bytes sent").register(registry);
    volatileDropped = Counter.builder("parley_volatile_dropped")
        .description("Volatile packets dropped because the connection was not writable").register(registry);
    slowClients = Counter.builder("parley_slow_client_disconnects")
        .description("Connections closed for reading too slowly (maxBufferedBytes)").register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + String.join("\u0000", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private <T> T cached(Map<String, T> cache, String key, Function<String, T> create) {
    T t = cache.get(key);
    return t != null ? t : cache.computeIfAbsent(key, create);
  }

  @Override
  public void connectionOpened() {
    connections.incrementAndGet();
  }

  @Override
  public void connectionClosed(DisconnectReason reason) {
    connections.decrementAndGet();
    counter("parley_engine_disconnects", "Engine.IO connections closed, by reason", "reason", reason.text()).increment();
  }

  @Override
  public void socketConnected(String nsp) {
    counter("parley_sockets_connected", "Sockets that joined a namespace", "namespace", nsp).increment();
  }

  @Override
  public void socketDisconnected(String nsp, DisconnectReason reason) {
    counter("parley_socket_disconnects", "Sockets that left a namespace, by reason", "namespace", nsp, "reason", reason.text())
        .increment();
  }

  @Override
  public void eventReceived(String nsp) {
    counter("parley_events_received", "Socket.IO events received", "namespace", nsp).increment();
  }

  @Override
  public void eventDropped(String nsp) {
    counter("parley_events_dropped", "Socket.IO events dropped by the rate limit", "namespace", nsp).increment();
  }

  @Override
  public void broadcast(String nsp, int recipients, long nanos) {
    cached(timers, "broadcast" + nsp, k -> Timer.builder("parley_broadcast")
        .description("Time to encode a broadcast and hand it to every local recipient").tag("namespace", nsp)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    cached(summaries, nsp, k -> DistributionSummary.builder("parley_broadcast_recipients")
        .description("Local recipients per broadcast").tag("namespace", nsp).register(registry)).record(recipients);
  }

  @Override
  public void ackReceived(String nsp, long nanos) {
    cached(timers, "ack" + nsp, k -> Timer.builder("parley_ack_latency")
        .description("Time until a client answered a server emitWithAck").tag("namespace", nsp)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void ackTimedOut(String nsp) {
    counter("parley_ack_timeouts", "Server emitWithAck calls that timed out", "namespace", nsp).increment();
  }

  @Override
  public void bytesIn(long bytes) {
    bytesIn.increment(bytes);
  }

  @Override
  public void bytesOut(long bytes) {
    bytesOut.increment(bytes);
  }

  @Override
  public void volatileDropped() {
    volatileDropped.increment();
  }

  @Override
  public void slowClientDisconnected() {
    slowClients.increment();
  }
}
