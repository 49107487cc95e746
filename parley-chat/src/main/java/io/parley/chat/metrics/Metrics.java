package io.parley.chat.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The application's meters, exposed as Prometheus text at {@code /metrics}. Tags only take values
 * from fixed sets (registered event names, route patterns, error codes), never from client input.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SocketIoMeters server = new SocketIoMeters(registry);

  /** Parley's connection, event, broadcast, ack, byte and drop meters, for {@code ServerOptions.metrics}. */
  public io.parley.server.ServerMetrics server() {
    return server;
  }

  /** The registry, for binders (the database pool). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  public void gauge(String name, String description, String namespace, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag("namespace", namespace).register(registry);
  }

  /** One handled Socket.IO event and how long its handler took. */
  public void event(String event, long nanos) {
    Counter.builder("parley_socket_events").description("Socket.IO events handled").tag("event", event)
        .register(registry).increment();
    Timer.builder("parley_socket_event_latency").description("Time to handle a Socket.IO event").tag("event", event)
        .register(registry).record(Duration.ofNanos(nanos));
  }

  /** One refused or failed Socket.IO event. */
  public void error(String event, String code) {
    Counter.builder("parley_socket_errors").description("Socket.IO events answered with an error")
        .tag("event", event).tag("code", code).register(registry).increment();
  }

  public void connectionRefused(String code) {
    Counter.builder("parley_connections_refused").description("Handshakes refused by authentication")
        .tag("code", code).register(registry).increment();
  }

  public void notification(String type) {
    Counter.builder("parley_notifications").description("Notifications sent (one per recipient)")
        .tag("type", type).register(registry).increment();
  }

  public void http(String method, String route, int status, long nanos) {
    Timer.builder("parley_http_requests").description("HTTP API requests").tag("method", method).tag("route", route)
        .tag("status", Integer.toString(status)).register(registry).record(Duration.ofNanos(nanos));
  }

  public String scrape() {
    return registry.scrape();
  }
}
