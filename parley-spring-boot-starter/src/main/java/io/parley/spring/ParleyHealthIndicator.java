package io.parley.spring;

import io.parley.server.SocketIoServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Socket.IO server's health, {@code parley} in Actuator's health endpoint: UP with the number
 * of open connections; DOWN when the cluster backend (a parley-redis adapter, which reports
 * whether its Redis connections are open) is not; OUT_OF_SERVICE once the server is shutting down.
 */
public final class ParleyHealthIndicator implements HealthIndicator {
  private final SocketIoServer io;

  /**
   * The health of {@code io} and of its adapter factory, when that is a Parley
   * {@link io.parley.server.HealthIndicator}.
   *
   * @param io the server
   */
  public ParleyHealthIndicator(SocketIoServer io) {
    this.io = io;
  }

  @Override
  public Health health() {
    if (io.isClosing()) {
      return Health.outOfService().withDetail("reason", "server shutting down").build();
    }
    Health.Builder h = Health.up().withDetail("connections", io.connectionCount());
    if (io.options().adapterFactory() instanceof io.parley.server.HealthIndicator backend) {
      boolean healthy = backend.healthy();
      h.withDetail(backend.name(), healthy ? "UP" : "DOWN");
      if (!healthy) {
        h.down();
      }
    }
    return h.build();
  }
}
