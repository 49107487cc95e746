package io.parley.server;

/**
 * Refuses a connection from a middleware. The client receives CONNECT_ERROR with this message and,
 * when not null, {@code data} (serialised by Jackson).
 */
public class ConnectError extends Exception {
  private final transient Object data;

  public ConnectError(String message) {
    this(message, null);
  }

  public ConnectError(String message, Object data) {
    super(message, null, false, false);
    this.data = data;
  }

  public Object data() {
    return data;
  }
}
