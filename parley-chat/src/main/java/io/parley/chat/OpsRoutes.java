package io.parley.chat;

import io.parley.chat.db.Database;
import io.parley.chat.metrics.Metrics;
import io.parley.chat.web.Request;
import io.parley.chat.web.Response;
import io.parley.chat.web.Router;
import io.parley.server.HealthIndicator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/** The operator's endpoints: {@code /health}, {@code /ready} and the Prometheus {@code /metrics}. */
final class OpsRoutes {
  private final Database db;
  private final Metrics metrics;
  private final IntSupplier connections;
  private final List<HealthIndicator> dependencies;

  OpsRoutes(Database db, Metrics metrics, IntSupplier connections, List<HealthIndicator> dependencies) {
    this.db = db;
    this.metrics = metrics;
    this.connections = connections;
    this.dependencies = List.copyOf(dependencies);
  }

  void mount(Router r) {
    r.get("/health", this::health);
    r.get("/ready", this::ready);
    r.get("/metrics", req -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  /**
   * Readiness for a load balancer: 200 when the database answers and every dependency (the
   * cluster backend) is connected, 503 otherwise, with the state of each.
   */
  private Response ready(Request req) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean ready = db.ping();
    body.put("database", ready ? "up" : "down");
    for (HealthIndicator d : dependencies) {
      boolean up = d.healthy();
      body.put(d.name(), up ? "up" : "down");
      ready &= up;
    }
    body.put("status", ready ? "ready" : "not ready");
    return Response.json(ready ? 200 : 503, body);
  }

  /**
   * Health: the state of the database and of every dependency (the cluster backend). 503 when the
   * database is down; a dependency that is down makes the status {@code degraded} but keeps 200
   * (the node still serves its own clients, and restarting it would not bring Redis back: take
   * nodes out of a load balancer with {@code /ready}).
   */
  private Response health(Request req) {
    boolean up = db.ping();
    boolean all = up;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("database", up ? "up" : "down");
    for (HealthIndicator d : dependencies) {
      boolean depUp = d.healthy();
      body.put(d.name(), depUp ? "up" : "down");
      all &= depUp;
    }
    body.put("status", all ? "ok" : "degraded");
    body.put("connections", connections.getAsInt());
    return Response.json(up ? 200 : 503, body);
  }
}
