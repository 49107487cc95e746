package io.parley.redis;

/** The cluster contract on the classic adapter (Pub/Sub), with the real Redis. */
class ClassicRedisContractTest extends RedisFixtureContract {
  ClassicRedisContractTest() {
    super(RedisFixture.Mode.CLASSIC);
  }
}
