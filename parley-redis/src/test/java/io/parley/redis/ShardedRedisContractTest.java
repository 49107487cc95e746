package io.parley.redis;

/** The cluster contract on the sharded adapter (sharded Pub/Sub, dynamic room channels), with the real Redis. */
class ShardedRedisContractTest extends RedisFixtureContract {
  ShardedRedisContractTest() {
    super(RedisFixture.Mode.SHARDED);
  }
}
