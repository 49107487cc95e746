package io.parley.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A flagged emit on one socket: {@code socket.timeout(d)} or {@code socket.asVolatile()}, as
 * socket.io's {@code socket.timeout(ms)} and {@code socket.volatile}. Immutable; each method returns
 * a new emitter, and any thread may use it.
 *
 * <pre>{@code
 * socket.timeout(Duration.ofSeconds(5)).emitWithAck("confirm", orderId)
 *     .thenAccept(reply -> orders.confirm(orderId, reply.get(0).asBoolean()));
 * socket.asVolatile().emit("cursor", x, y);
 * }</pre>
 */
public final class SocketEmitter {
  private final Socket socket;
  private final Duration timeout;
  private final boolean volatileFlag;

  SocketEmitter(Socket socket, Duration timeout, boolean volatileFlag) {
    this.socket = socket;
    this.timeout = timeout;
    this.volatileFlag = volatileFlag;
  }

  /**
   * The same emitter with an ack timeout, like socket.io's {@code socket.timeout(ms)}.
   *
   * @param d how long {@link #emitWithAck} waits for the client
   * @return a new emitter
   */
  public SocketEmitter timeout(Duration d) {
    return new SocketEmitter(socket, d, volatileFlag);
  }

  /**
   * The same emitter, volatile: {@link #emit} drops the packet when the connection is not ready to
   * write, like socket.io's {@code socket.volatile}.
   *
   * @return a new emitter
   */
  public SocketEmitter asVolatile() {
    return new SocketEmitter(socket, timeout, true);
  }

  /**
   * Sends an event to the socket, as {@link Socket#emit}, with this emitter's volatile flag (the
   * timeout does not apply: there is no ack to wait for).
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments
   * @return true, as the reference does
   */
  public boolean emit(String event, Object... args) {
    return socket.emit(event, args, volatileFlag);
  }

  /**
   * Sends an event and completes with the client's ack, or with {@link AckTimeoutException} after the
   * timeout, like socket.io's {@code socket.timeout(ms).emitWithAck(event)}. Without a timeout it waits
   * for ever, as {@link Socket#emitWithAck}. The packet is never dropped, volatile or not. The future
   * completes on a virtual thread.
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments
   * @return the arguments the client acknowledged with
   */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return socket.emitWithAck(timeout, event, args);
  }
}
