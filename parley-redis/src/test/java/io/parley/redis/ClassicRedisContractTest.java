package io.parley.redis;

import io.parley.netty.testkit.ClusterContract;
import io.parley.server.Namespace;
import io.parley.server.adapter.Adapter;
import java.util.function.Function;

/** The cluster contract on the classic adapter (Pub/Sub), with the real Redis (a key prefix of its own per test). */
class ClassicRedisContractTest extends ClusterContract {
  private final RedisFixture fx = new RedisFixture(RedisFixture.Mode.CLASSIC);

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
