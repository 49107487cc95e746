package io.parley.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.parley.server.DisconnectReason;
import io.parley.server.ServerMetrics;
import io.parley.server.SocketIoServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parley's metrics in the application's {@link MeterRegistry}: a {@link MeterBinder} that Spring
 * Boot binds to its registry, adding a {@link ServerMetrics} sink to the server
 * ({@link SocketIoServer#addMetrics}). Tags take their values from fixed sets (namespace names,
 * disconnect reasons), never from what clients send.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><td>{@code parley.connections}</td><td>gauge</td><td>Engine.IO connections open</td></tr>
 * <tr><td>{@code parley.sockets}</td><td>gauge, {@code namespace}</td><td>sockets connected</td></tr>
 * <tr><td>{@code parley.connections.closed}</td><td>counter, {@code reason}</td><td>connections closed</td></tr>
 * <tr><td>{@code parley.sockets.connected}</td><td>counter, {@code namespace}</td><td>sockets that joined</td></tr>
 * <tr><td>{@code parley.sockets.disconnected}</td><td>counter, {@code namespace}, {@code reason}</td><td>sockets that left</td></tr>
 * <tr><td>{@code parley.events.received}</td><td>counter, {@code namespace}</td><td>events from clients</td></tr>
 * <tr><td>{@code parley.events.dropped}</td><td>counter, {@code namespace}</td><td>events over the rate limit</td></tr>
 * <tr><td>{@code parley.broadcasts}</td><td>timer, {@code namespace}</td><td>time to hand a broadcast to local sockets</td></tr>
 * <tr><td>{@code parley.broadcast.recipients}</td><td>summary, {@code namespace}</td><td>local recipients per broadcast</td></tr>
 * <tr><td>{@code parley.acks}</td><td>timer, {@code namespace}</td><td>time until a client answered an emitWithAck</td></tr>
 * <tr><td>{@code parley.acks.timeouts}</td><td>counter, {@code namespace}</td><td>emitWithAck calls that timed out</td></tr>
 * <tr><td>{@code parley.bytes.received}, {@code parley.bytes.sent}</td><td>counters</td><td>Engine.IO frame bytes</td></tr>
 * <tr><td>{@code parley.packets.volatile.dropped}</td><td>counter</td><td>volatile packets dropped</td></tr>
 * <tr><td>{@code parley.clients.slow}</td><td>counter</td><td>connections closed for reading too slowly</td></tr>
 * </table>
 */
public final class ParleyMeters implements MeterBinder {
  private final SocketIoServer io;

  /**
   * Meters of this server.
   *
   * @param io the server
   */
  public ParleyMeters(SocketIoServer io) {
    this.io = io;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("parley.connections", io, SocketIoServer::connectionCount)
        .description("Engine.IO connections open").baseUnit("connections").register(registry);
    io.addMetrics(new Sink(registry));
  }

  /** The sink: meters looked up once per tag value and cached, so the hot paths only increment. */
  private static final class Sink implements ServerMetrics {
    private final MeterRegistry registry;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter volatileDropped;
    private final Counter slowClients;
    private final Map<String, Object> meters = new ConcurrentHashMap<>();

    Sink(MeterRegistry registry) {
      this.registry = registry;
      bytesIn = Counter.builder("parley.bytes.received").description("Engine.IO bytes received")
          .baseUnit(BaseUnits.BYTES).register(registry);
      bytesOut = Counter.builder("parley.bytes.sent").description("Engine.IO bytes sent")
          .baseUnit(BaseUnits.BYTES).register(registry);
      volatileDropped = Counter.builder("parley.packets.volatile.dropped")
          .description("Volatile packets dropped because the connection was not ready to write").register(registry);
      slowClients = Counter.builder("parley.clients.slow")
          .description("Connections closed for reading too slowly (max buffered bytes)").register(registry);
    }

    @SuppressWarnings("unchecked")
    private <T> T meter(String key, java.util.function.Supplier<T> create) {
      Object m = meters.get(key);
      if (m == null) {
        m = meters.computeIfAbsent(key, k -> create.get());
      }
      return (T) m;
    }

    private Counter counter(String name, String description, String... tags) {
      return meter(name + '\u0000' + String.join("\u0000", tags),
          () -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private AtomicLong sockets(String nsp) {
      return meter("sockets\u0000" + nsp, () -> {
        AtomicLong n = new AtomicLong();
        Gauge.builder("parley.sockets", n, AtomicLong::get).description("Sockets connected")
            .tag("namespace", nsp).register(registry);
        return n;
      });
    }

    @Override
    public void connectionClosed(DisconnectReason reason) {
      counter("parley.connections.closed", "Engine.IO connections closed, by reason", "reason", reason.text()).increment();
    }

    @Override
    public void socketConnected(String nsp) {
      sockets(nsp).incrementAndGet();
      counter("parley.sockets.connected", "Sockets that joined a namespace", "namespace", nsp).increment();
    }

    @Override
    public void socketDisconnected(String nsp, DisconnectReason reason) {
      sockets(nsp).decrementAndGet();
      counter("parley.sockets.disconnected", "Sockets that left a namespace, by reason",
          "namespace", nsp, "reason", reason.text()).increment();
    }

    @Override
    public void eventReceived(String nsp) {
      counter("parley.events.received", "Socket.IO events received from clients", "namespace", nsp).increment();
    }

    @Override
    public void eventDropped(String nsp) {
      counter("parley.events.dropped", "Socket.IO events dropped by the rate limit", "namespace", nsp).increment();
    }

    @Override
    public void broadcast(String nsp, int recipients, long nanos) {
      this.<Timer>meter("broadcast\u0000" + nsp, () -> Timer.builder("parley.broadcasts")
          .description("Time to encode a broadcast and hand it to every local recipient").tag("namespace", nsp)
          .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
      this.<DistributionSummary>meter("recipients\u0000" + nsp, () -> DistributionSummary.builder("parley.broadcast.recipients")
          .description("Local recipients per broadcast").tag("namespace", nsp).register(registry)).record(recipients);
    }

    @Override
    public void ackReceived(String nsp, long nanos) {
      this.<Timer>meter("ack\u0000" + nsp, () -> Timer.builder("parley.acks")
          .description("Time until a client answered a server emitWithAck").tag("namespace", nsp)
          .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void ackTimedOut(String nsp) {
      counter("parley.acks.timeouts", "Server emitWithAck calls that timed out", "namespace", nsp).increment();
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
}
