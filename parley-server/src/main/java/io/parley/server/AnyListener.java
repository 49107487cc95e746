package io.parley.server;

/**
 * Sees every event of a socket: incoming with {@link Socket#onAny}, outgoing with
 * {@link Socket#onAnyOutgoing}, as socket.io's {@code (event, ...args) => ...} listeners of the same
 * names. See those methods for the thread each runs on.
 *
 * <pre>{@code
 * socket.onAny((event, args) -> metrics.count("in." + event));
 * }</pre>
 */
@FunctionalInterface
public interface AnyListener {
  /**
   * Called for one event.
   *
   * @param event the event name
   * @param args its arguments: {@code JsonNode}s for incoming events, the objects given to
   *     {@code emit} for outgoing ones (do not modify them)
   * @throws Exception goes to the socket's {@link Socket#onError} listeners
   */
  void onEvent(String event, Object[] args) throws Exception;
}
