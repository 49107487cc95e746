package io.parley.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.netty.testkit.ClusterContract;
import io.parley.redis.internal.Ids;
import io.parley.server.Namespace;
import io.parley.server.adapter.Adapter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The cluster contract on the Redis Streams adapter, with the real Redis: a stream, channel prefix
 * and session prefix of its own per test (recovery off, as the contract's servers have it).
 */
class RedisStreamsContractTest extends ClusterContract {
  private final String key = "parley-streams-contract-" + Ids.uid2(10).replace('-', 'x').replace('_', 'y');
  private final RedisClient redis = RedisClient.create(RedisFixture.REDIS_URL);
  private final List<StatefulRedisPubSubConnection<String, String>> ghosts = new CopyOnWriteArrayList<>();

  @Override
  protected Function<Namespace, Adapter> adapterFactory() {
    return RedisAdapters.streams(redis, RedisStreamsOptions.builder().streamName(key).channelPrefix(key)
        .sessionKeyPrefix(key + ":session:").build());
  }

  @Override
  protected void awaitReady(Namespace nsp) throws Exception {
    ((RedisStreamsAdapter) nsp.adapter()).ready().get(5, TimeUnit.SECONDS);
  }

  /** A subscriber of the namespace's request channel: counted as a server, never answers. */
  @Override
  protected void addSilentServer() {
    StatefulRedisPubSubConnection<String, String> c = redis.connectPubSub();
    ghosts.add(c);
    c.sync().subscribe(key + "#/#");
  }

  @Override
  protected void closeBackend() {
    ghosts.forEach(StatefulRedisPubSubConnection::close);
    try (var admin = redis.connect()) {
      admin.sync().del(key);
    }
    redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
