package io.parley.server;

/**
 * The acknowledgement callback of a received event. {@link #send} may be called once, from any
 * thread; later calls are ignored. When the sender asked for no ack, {@link #requested()} is false
 * and {@code send} does nothing.
 */
public interface Ack {
  Ack NONE = new Ack() {
    @Override
    public void send(Object... args) {}

    @Override
    public boolean requested() {
      return false;
    }
  };

  void send(Object... args);

  boolean requested();
}
