package io.parley.server;

/**
 * Handles one event. Runs on the socket's virtual thread, in arrival order: it may block (JDBC,
 * HTTP). An exception is logged and reported to the socket's error listeners; the socket stays up.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Args args, Ack ack) throws Exception;
}
