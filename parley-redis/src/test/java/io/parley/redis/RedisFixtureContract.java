package io.parley.redis;

import io.parley.netty.testkit.ClusterContract;
import io.parley.server.Namespace;
import io.parley.server.adapter.Adapter;
import java.util.function.Function;

/** The cluster contract on a Pub/Sub Redis adapter of {@link RedisFixture}, with the real Redis (a key prefix of its own per test). */
abstract class RedisFixtureContract extends ClusterContract {
  private final RedisFixture fx;

  RedisFixtureContract(RedisFixture.Mode mode) {
    this.fx = new RedisFixture(mode);
  }

  @Override
  protected Function<Namespace, Adapter> adapterFactory() {
    return fx.adapterFactory();
  }

  @Override
  protected void awaitReady(Namespace nsp) throws Exception {
    RedisFixture.awaitReady(nsp);
  }

  @Override
  protected void awaitRoomRoute(String nsp, String room, int servers) {
    fx.awaitRoomChannel(nsp, room, servers);
  }

  @Override
  protected void addSilentServer() {
    fx.ghostServer();
  }

  @Override
  protected void closeBackend() {
    fx.close();
  }
}
