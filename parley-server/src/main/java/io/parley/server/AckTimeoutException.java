package io.parley.server;

import java.util.List;
import java.util.concurrent.TimeoutException;

/** An ack did not come within the timeout. For broadcasts, {@link #partial()} holds the acks that did. */
public final class AckTimeoutException extends TimeoutException {
  private final transient List<Args> partial;

  public AckTimeoutException(List<Args> partial) {
    super("operation has timed out");
    this.partial = List.copyOf(partial);
  }

  public List<Args> partial() {
    return partial;
  }
}
