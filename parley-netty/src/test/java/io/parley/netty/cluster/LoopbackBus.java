package io.parley.netty.cluster;

import io.parley.server.adapter.ClusterAdapter;
import io.parley.server.adapter.ClusterMessage;
import io.parley.server.Namespace;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-JVM message bus for testing the cluster protocol of {@link ClusterAdapter} between real
 * servers: every publish is delivered asynchronously, in order, to the other adapters of the same
 * namespace. {@link #ghosts} counts nodes that are "in the cluster" but never answer, to test
 * timeouts. The Redis backend is tested against a real Redis in its own module.
 */
final class LoopbackBus implements AutoCloseable {
  private final List<BusAdapter> adapters = new CopyOnWriteArrayList<>();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final Set<String> muted = ConcurrentHashMap.newKeySet();
  volatile int ghosts;

  ClusterAdapter adapter(Namespace nsp) {
    BusAdapter a = new BusAdapter(nsp);
    adapters.add(a);
    return a;
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }

  final class BusAdapter extends ClusterAdapter {
    BusAdapter(Namespace nsp) {
      super(nsp);
    }

    @Override
    protected void doPublish(ClusterMessage message) {
      delivery.execute(() -> {
        for (BusAdapter a : adapters) {
          if (a != this && a.namespace().name().equals(message.nsp()) && !muted.contains(a.uid())) {
            a.onMessage(message);
          }
        }
      });
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
      delivery.execute(() -> {
        for (BusAdapter a : adapters) {
          if (a.uid().equals(requesterUid)) {
            a.onMessage(response);
          }
        }
      });
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      long n = adapters.stream().filter(a -> a.namespace().name().equals(nsp.name())).count();
      return CompletableFuture.completedFuture((int) n + ghosts);
    }
  }
}
