package io.parley.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the Redis adapters, with the defaults of {@code @socket.io/redis-adapter} 8.
 *
 * @param key the channel prefix ({@code key} of the classic adapter, {@code channelPrefix} of the
 *     sharded one); default {@code socket.io}. Every server (and emitter) of a cluster must use the same.
 * @param requestsTimeout how long a request to the other servers ({@code fetchSockets},
 *     {@code allRooms}, …) waits for their answers when the operation sets no timeout of its own;
 *     default 5 s. Classic adapter only: the sharded adapter waits 5 s or the operation's timeout.
 * @param publishOnSpecificResponseChannel classic adapter: answer on
 *     {@code <key>-response#<nsp>#<requester uid>#} instead of the shared response channel; default false
 * @param subscriptionMode sharded adapter: {@link SubscriptionMode#DYNAMIC} by default
 */
public record RedisAdapterOptions(
    String key,
    Duration requestsTimeout,
    boolean publishOnSpecificResponseChannel,
    SubscriptionMode subscriptionMode) {

  public static final RedisAdapterOptions DEFAULT = builder().build();

  public RedisAdapterOptions {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    Objects.requireNonNull(subscriptionMode, "subscriptionMode");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (requestsTimeout.isNegative() || requestsTimeout.isZero()) {
      throw new IllegalArgumentException("requestsTimeout must be positive");
    }
  }

  /** Same as {@link #key()}, under the sharded adapter's name. */
  public String channelPrefix() {
    return key;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().key(key).requestsTimeout(requestsTimeout)
        .publishOnSpecificResponseChannel(publishOnSpecificResponseChannel).subscriptionMode(subscriptionMode);
  }

  public static final class Builder {
    private String key = "socket.io";
    private Duration requestsTimeout = Duration.ofSeconds(5);
    private boolean publishOnSpecificResponseChannel;
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;

    private Builder() {}

    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /** Same as {@link #key}, under the sharded adapter's name. */
    public Builder channelPrefix(String prefix) {
      return key(prefix);
    }

    public Builder requestsTimeout(Duration timeout) {
      this.requestsTimeout = timeout;
      return this;
    }

    public Builder publishOnSpecificResponseChannel(boolean b) {
      this.publishOnSpecificResponseChannel = b;
      return this;
    }

    public Builder subscriptionMode(SubscriptionMode mode) {
      this.subscriptionMode = mode;
      return this;
    }

    public RedisAdapterOptions build() {
      return new RedisAdapterOptions(key, requestsTimeout, publishOnSpecificResponseChannel, subscriptionMode);
    }
  }
}
