package io.parley.server;

/** An event handler whose first argument is mapped to {@code T} by Jackson. */
@FunctionalInterface
public interface TypedListener<T> {
  void onEvent(T payload, Ack ack) throws Exception;
}
