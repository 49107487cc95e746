package io.parley.server;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * An ack did not come within the timeout: socket.io's {@code "operation has timed out"} error. For
 * broadcasts, {@link #partial()} holds the acks that did come, as the reference passes them with the
 * error. Futures returned by Parley fail with it directly (in {@code whenComplete}), or wrapped in an
 * {@code ExecutionException} by {@code get()}.
 */
public final class AckTimeoutException extends TimeoutException {
  private final transient List<Args> partial;

  /**
   * A timeout, with the replies that came in time.
   *
   * @param partial the replies received before the timeout (copied; empty for one socket's ack)
   */
  public AckTimeoutException(List<Args> partial) {
    super("operation has timed out");
    this.partial = List.copyOf(partial);
  }

  /** The replies that came before the timeout, in arrival order; empty for one socket's ack. */
  public List<Args> partial() {
    return partial;
  }
}
