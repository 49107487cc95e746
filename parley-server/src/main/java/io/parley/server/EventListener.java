package io.parley.server;

/**
 * Handles one event. Runs on the socket's virtual thread, in arrival order: it may block (JDBC,
 * HTTP). An exception is logged and reported to the socket's error listeners; the socket stays up.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Args args, Ack ack) throws Exception;

  /**
   * Marks a listener that never blocks (no I/O, no locks held long, no {@code get()} on a
   * future): it then runs directly on the connection's event loop when the socket has nothing
   * queued, which saves a thread hand-off per event. Order per socket is kept either way. A
   * listener that blocks here stalls every connection of that event loop: when in doubt, don't.
   */
  static NonBlocking nonBlocking(NonBlocking listener) {
    return listener;
  }

  /** {@link #nonBlocking(NonBlocking)} for a listener already typed as a plain {@code EventListener}. */
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
