package io.parley.server;

/** Sees every event (incoming for {@code onAny}, outgoing for {@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyListener {
  void onEvent(String event, Object[] args) throws Exception;
}
