package io.parley.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the Redis Streams adapter, with the names and defaults of
 * {@code @socket.io/redis-streams-adapter} 0.3: every server of a cluster, Node.js or Parley, must
 * use the same {@code streamName}, {@code streamCount}, {@code channelPrefix},
 * {@code useShardedPubSub} and {@code sessionKeyPrefix}.
 *
 * @param streamName the stream ({@code socket.io}); with {@code streamCount > 1} the prefix of
 *     {@code <streamName>-<i>}, namespace {@code nsp} going to stream {@code hash(nsp) % streamCount}
 * @param streamCount how many streams (1)
 * @param channelPrefix the prefix of the Pub/Sub channels of requests and responses ({@code socket.io})
 * @param useShardedPubSub SPUBLISH / SSUBSCRIBE instead of PUBLISH / SUBSCRIBE (false)
 * @param maxLen the stream is trimmed to about this many entries on each XADD ({@code MAXLEN ~}, 10 000);
 *     this bounds what a reconnecting client can recover
 * @param readCount entries per XREAD (100)
 * @param blockTime how long one XREAD waits for new entries (5 s)
 * @param sessionKeyPrefix the key prefix of the sessions kept for connection state recovery
 *     ({@code sio:session:}); a session expires after {@code maxDisconnectionDuration}
 *
 * <pre>{@code
 * RedisStreamsOptions options = RedisStreamsOptions.builder()
 *     .streamName("myapp")
 *     .maxLen(100_000)      // keep more history for reconnecting clients
 *     .build();
 * }</pre>
 */
public record RedisStreamsOptions(
    String streamName,
    int streamCount,
    String channelPrefix,
    boolean useShardedPubSub,
    int maxLen,
    int readCount,
    Duration blockTime,
    String sessionKeyPrefix) {

  /** The defaults of {@code @socket.io/redis-streams-adapter} 0.3. */
  public static final RedisStreamsOptions DEFAULT = builder().build();

  /**
   * Checks the options.
   *
   * @throws NullPointerException when an option is null
   * @throws IllegalArgumentException when a count or the block time is not positive
   */
  public RedisStreamsOptions {
    Objects.requireNonNull(streamName, "streamName");
    Objects.requireNonNull(channelPrefix, "channelPrefix");
    Objects.requireNonNull(blockTime, "blockTime");
    Objects.requireNonNull(sessionKeyPrefix, "sessionKeyPrefix");
    if (streamCount < 1 || maxLen < 1 || readCount < 1) {
      throw new IllegalArgumentException("streamCount, maxLen and readCount must be positive");
    }
    if (blockTime.isNegative() || blockTime.isZero()) {
      throw new IllegalArgumentException("blockTime must be positive");
    }
  }

  /**
   * The stream of namespace {@code nsp}: the reference's string hash modulo {@code streamCount}.
   *
   * @param nsp the namespace name
   * @return the stream's key
   */
  public String streamOf(String nsp) {
    if (streamCount == 1) {
      return streamName;
    }
    int hash = 0;
    for (int i = 0; i < nsp.length(); i++) {
      hash = hash * 31 + nsp.charAt(i);
    }
    return streamName + "-" + (hash % streamCount);
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link RedisStreamsOptions}; each setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private String streamName = "socket.io";
    private int streamCount = 1;
    private String channelPrefix = "socket.io";
    private boolean useShardedPubSub;
    private int maxLen = 10_000;
    private int readCount = 100;
    private Duration blockTime = Duration.ofSeconds(5);
    private String sessionKeyPrefix = "sio:session:";

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    /**
     * The stream ({@code socket.io}), or the prefix of the streams when there are several.
     *
     * @param s the key
     * @return this builder
     */
    public Builder streamName(String s) {
      this.streamName = s;
      return this;
    }

    /**
     * How many streams the namespaces are spread over (1).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder streamCount(int n) {
      this.streamCount = n;
      return this;
    }

    /**
     * The prefix of the Pub/Sub channels of requests and responses ({@code socket.io}).
     *
     * @param s the prefix
     * @return this builder
     */
    public Builder channelPrefix(String s) {
      this.channelPrefix = s;
      return this;
    }

    /**
     * SPUBLISH / SSUBSCRIBE instead of PUBLISH / SUBSCRIBE for requests and responses (false).
     *
     * @param b true for sharded Pub/Sub (Redis 7)
     * @return this builder
     */
    public Builder useShardedPubSub(boolean b) {
      this.useShardedPubSub = b;
      return this;
    }

    /**
     * About how many entries the stream keeps (10 000): what a reconnecting client can recover.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxLen(int n) {
      this.maxLen = n;
      return this;
    }

    /**
     * Entries per XREAD (100).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder readCount(int n) {
      this.readCount = n;
      return this;
    }

    /**
     * How long one XREAD waits for new entries (5 s).
     *
     * @param d a positive duration
     * @return this builder
     */
    public Builder blockTime(Duration d) {
      this.blockTime = d;
      return this;
    }

    /**
     * The key prefix of the sessions kept for connection state recovery ({@code sio:session:}).
     *
     * @param s the prefix
     * @return this builder
     */
    public Builder sessionKeyPrefix(String s) {
      this.sessionKeyPrefix = s;
      return this;
    }

    /**
     * The options; throws as the record's constructor does when one is invalid.
     *
     * @return new options
     */
    public RedisStreamsOptions build() {
      return new RedisStreamsOptions(streamName, streamCount, channelPrefix, useShardedPubSub, maxLen, readCount,
          blockTime, sessionKeyPrefix);
    }
  }
}
