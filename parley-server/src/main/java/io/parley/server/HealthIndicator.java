package io.parley.server;

/**
 * Something a node depends on whose state belongs in health checks and metrics (a cluster
 * backend's connection, say). Cheap to call, from any thread.
 */
public interface HealthIndicator {
  /** A short name for checks and metric tags ({@code redis}). */
  String name();

  /** Whether it works right now. */
  boolean healthy();
}
