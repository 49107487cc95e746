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

  /** The defaults of {@code @socket.io/redis-adapter} 8: key {@code socket.io}, 5 s, dynamic mode. */
  public static final RedisAdapterOptions DEFAULT = builder().build();

  /**
   * Checks the options.
   *
   * @throws NullPointerException when an option is null
   * @throws IllegalArgumentException when the key is empty or the timeout not positive
   */
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

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    return new Builder().key(key).requestsTimeout(requestsTimeout)
        .publishOnSpecificResponseChannel(publishOnSpecificResponseChannel).subscriptionMode(subscriptionMode);
  }

  /**
   * Builds {@link RedisAdapterOptions}; each setter returns the builder. Not thread-safe.
   *
   * <pre>{@code
   * RedisAdapterOptions options = RedisAdapterOptions.builder()
   *     .key("myapp")
   *     .requestsTimeout(Duration.ofSeconds(2))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private String key = "socket.io";
    private Duration requestsTimeout = Duration.ofSeconds(5);
    private boolean publishOnSpecificResponseChannel;
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;

    private Builder() {}

    /**
     * The channel prefix ({@code socket.io}), as the classic adapter's {@code key}; the same on every
     * server and emitter of the cluster.
     *
     * @param key the prefix, not empty
     * @return this builder
     */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /**
     * Same as {@link #key}, under the sharded adapter's name.
     *
     * @param prefix the prefix, not empty
     * @return this builder
     */
    public Builder channelPrefix(String prefix) {
      return key(prefix);
    }

    /**
     * How long a request to the other servers waits when the operation sets no timeout (5 s), as the
     * classic adapter's {@code requestsTimeout}.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder requestsTimeout(Duration timeout) {
      this.requestsTimeout = timeout;
      return this;
    }

    /**
     * Classic adapter: answer each request on the requester's own response channel (false), as
     * {@code publishOnSpecificResponseChannel}; every server of the cluster should agree.
     *
     * @param b true for per-server response channels
     * @return this builder
     */
    public Builder publishOnSpecificResponseChannel(boolean b) {
      this.publishOnSpecificResponseChannel = b;
      return this;
    }

    /**
     * Sharded adapter: how many channels it uses ({@link SubscriptionMode#DYNAMIC}), as
     * {@code subscriptionMode}.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder subscriptionMode(SubscriptionMode mode) {
      this.subscriptionMode = mode;
      return this;
    }

    /**
     * The options; throws as the record's constructor does when one is invalid.
     *
     * @return new options
     */
    public RedisAdapterOptions build() {
      return new RedisAdapterOptions(key, requestsTimeout, publishOnSpecificResponseChannel, subscriptionMode);
    }
  }
}
