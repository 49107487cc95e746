package io.parley.server;

/**
 * Handles one event, as socket.io's {@code socket.on(event, (...args, callback) => ...)}. Runs on the
 * socket's virtual thread, in arrival order: it may block (JDBC, HTTP). An exception is reported to
 * the socket's error listeners (or logged when there are none); the socket stays up. Also the type
 * of the listeners of events sent by other nodes ({@link Namespace#on(String, EventListener)}).
 *
 * <pre>{@code
 * socket.on("order:create", (args, ack) -> {
 *   long id = orders.insert(args.get(0, OrderRequest.class));   // blocking JDBC is fine here
 *   ack.send(Map.of("id", id));
 * });
 * socket.on("typing", EventListener.nonBlocking((args, ack) -> socket.to("room1").emit("typing", socket.id())));
 * }</pre>
 */
@FunctionalInterface
public interface EventListener {
  /**
   * Handles one event.
   *
   * @param args the event's arguments
   * @param ack answers the sender; {@link Ack#NONE} when it asked for no ack
   * @throws Exception goes to the socket's {@link Socket#onError} listeners
   */
  void onEvent(Args args, Ack ack) throws Exception;

  /**
   * Marks a listener that never blocks (no I/O, no locks held long, no {@code get()} on a
   * future): it then runs directly on the connection's event loop when the socket has nothing
   * queued, which saves a thread hand-off per event. Order per socket is kept either way. A
   * listener that blocks here stalls every connection of that event loop: when in doubt, don't.
   *
   * @param listener a listener that never blocks (typically a lambda)
   * @return the same listener
   */
  static NonBlocking nonBlocking(NonBlocking listener) {
    return listener;
  }

  /**
   * {@link #nonBlocking(NonBlocking)} for a listener already typed as a plain {@code EventListener}.
   *
   * @param listener a listener that never blocks
   * @return it, marked non-blocking
   */
  static NonBlocking nonBlocking(EventListener listener) {
    return listener instanceof NonBlocking n ? n : listener::onEvent;
  }

  /**
   * A listener declared non-blocking with {@link #nonBlocking}. An interface rather than a wrapper:
   * a lambda passed to {@code nonBlocking} is itself the listener, which saves an object per socket
   * and listener.
   */
  @FunctionalInterface
  interface NonBlocking extends EventListener {}
}
