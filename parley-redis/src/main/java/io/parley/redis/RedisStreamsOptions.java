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

  public static final RedisStreamsOptions DEFAULT = builder().build();

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

  /** The stream of namespace {@code nsp}: the reference's string hash modulo {@code streamCount}. */
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

  public static Builder builder() {
    return new Builder();
  }

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

    public Builder streamName(String s) {
      this.streamName = s;
      return this;
    }

    public Builder streamCount(int n) {
      this.streamCount = n;
      return this;
    }

    public Builder channelPrefix(String s) {
      this.channelPrefix = s;
      return this;
    }

    public Builder useShardedPubSub(boolean b) {
      this.useShardedPubSub = b;
      return this;
    }

    public Builder maxLen(int n) {
      this.maxLen = n;
      return this;
    }

    public Builder readCount(int n) {
      this.readCount = n;
      return this;
    }

    public Builder blockTime(Duration d) {
      this.blockTime = d;
      return this;
    }

    public Builder sessionKeyPrefix(String s) {
      this.sessionKeyPrefix = s;
      return this;
    }

    public RedisStreamsOptions build() {
      return new RedisStreamsOptions(streamName, streamCount, channelPrefix, useShardedPubSub, maxLen, readCount,
          blockTime, sessionKeyPrefix);
    }
  }
}
