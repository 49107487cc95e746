package io.parley.redis;

/**
 * How many Redis channels the sharded adapter uses per namespace, as {@code subscriptionMode} of
 * {@code createShardedAdapter}.
 */
public enum SubscriptionMode {
  /** Two channels per namespace: everything, and this server's responses. Suits dynamic namespaces. */
  STATIC("static"),
  /**
   * Two channels plus one per public room this server has: a broadcast to a single room reaches only
   * the servers that have it. Rooms named like a socket id (20 characters) are not given a channel.
   * The default.
   */
  DYNAMIC("dynamic"),
  /** As {@link #DYNAMIC}, with a channel for each private room (socket id) too. */
  DYNAMIC_PRIVATE("dynamic-private");

  private final String wireName;

  SubscriptionMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used by {@code @socket.io/redis-adapter}. */
  public String wireName() {
    return wireName;
  }
}
