package io.parley.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A flagged emit on one socket: {@code socket.timeout(d)} or {@code socket.asVolatile()}. */
public final class SocketEmitter {
  private final Socket socket;
  private final Duration timeout;
  private final boolean volatileFlag;

  SocketEmitter(Socket socket, Duration timeout, boolean volatileFlag) {
    this.socket = socket;
    this.timeout = timeout;
    this.volatileFlag = volatileFlag;
  }

  public SocketEmitter timeout(Duration d) {
    return new SocketEmitter(socket, d, volatileFlag);
  }

  public SocketEmitter asVolatile() {
    return new SocketEmitter(socket, timeout, true);
  }

  public boolean emit(String event, Object... args) {
    return socket.emit(event, args, volatileFlag);
  }

  /** Completes with the client's ack, or with {@link AckTimeoutException} after the timeout. */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return socket.emitWithAck(timeout, event, args);
  }
}
