package io.parley.server;

/**
 * An event handler whose first argument is mapped to {@code T} by Jackson, for
 * {@link Socket#on(String, Class, TypedListener)}. Runs as an {@link EventListener} does: on the
 * socket's virtual thread, in arrival order; it may block.
 *
 * <pre>{@code
 * socket.on("chat:send", ChatMessage.class, (msg, ack) -> {
 *   messages.save(msg);
 *   ack.send(Map.of("ok", true));
 * });
 * }</pre>
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface TypedListener<T> {
  /**
   * Handles one event.
   *
   * @param payload the first argument, mapped to {@code T}; {@code null} when the event had none
   * @param ack answers the client, when it asked for an ack
   * @throws Exception goes to the socket's {@link Socket#onError} listeners; the socket stays up
   */
  void onEvent(T payload, Ack ack) throws Exception;
}
