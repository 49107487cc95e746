package io.parley.server;

/**
 * Refuses a connection from a middleware. The client receives CONNECT_ERROR with this message and,
 * when not null, {@code data} (serialised by Jackson): its {@code connect_error} listener gets an
 * {@code Error} with that {@code message} and {@code data}, as socket.io's
 * {@code next(Object.assign(new Error(message), { data }))}. No stack trace is captured.
 *
 * <pre>{@code
 * io.use(socket -> {
 *   if (tooManyConnections(socket.handshake().address())) {
 *     throw new ConnectError("rate limited", Map.of("retryAfter", 30));
 *   }
 * });
 * // client: socket.on("connect_error", (err) => console.log(err.message, err.data.retryAfter));
 * }</pre>
 */
public class ConnectError extends Exception {
  private final transient Object data;

  /**
   * A refusal with a message only.
   *
   * @param message what the client's {@code err.message} will be
   */
  public ConnectError(String message) {
    this(message, null);
  }

  /**
   * A refusal with a message and details.
   *
   * @param message what the client's {@code err.message} will be
   * @param data what the client's {@code err.data} will be (serialised by Jackson), or null for none
   */
  public ConnectError(String message, Object data) {
    super(message, null, false, false);
    this.data = data;
  }

  /** The details sent to the client as {@code data}, or null. */
  public Object data() {
    return data;
  }
}
