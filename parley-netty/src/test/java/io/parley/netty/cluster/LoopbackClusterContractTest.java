package io.parley.netty.cluster;

import io.parley.netty.testkit.ClusterContract;
import io.parley.server.Namespace;
import io.parley.server.adapter.Adapter;
import java.util.function.Function;

/** The cluster contract over {@link LoopbackBus}: the cluster protocol of the core, with no backend. */
class LoopbackClusterContractTest extends ClusterContract {
  private final LoopbackBus bus = new LoopbackBus();

  @Override
  protected Function<Namespace, Adapter> adapterFactory() {
    return bus::adapter;
  }

  @Override
  protected void addSilentServer() {
    bus.ghosts++;
  }

  @Override
  protected void closeBackend() {
    bus.close();
  }
}
