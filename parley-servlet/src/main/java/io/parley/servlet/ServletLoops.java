package io.parley.servlet;

import io.parley.server.engine.EngineExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads Engine.IO sessions are confined to inside a container: a few single-thread
 * schedulers (one per core by default), each session on one of them, so a session's state needs
 * no lock, as on Netty's event loops. The container's own threads only read requests and hand
 * them over.
 */
final class ServletLoops implements AutoCloseable {
  private final Loop[] loops;
  private final AtomicInteger next = new AtomicInteger();

  ServletLoops(int count) {
    loops = new Loop[count];
    for (int i = 0; i < count; i++) {
      int n = i;
      loops[i] = new Loop(Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-servlet-" + n);
        t.setDaemon(true);
        return t;
      }));
    }
  }

  /** The loop for a new connection (round robin). */
  EngineExecutor next() {
    return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
  }

  @Override
  public void close() {
    for (Loop l : loops) {
      l.scheduler.shutdownNow();
    }
  }

  private static final class Loop implements EngineExecutor {
    final ScheduledExecutorService scheduler;
    volatile Thread thread;

    Loop(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      scheduler.execute(() -> thread = Thread.currentThread());
    }

    @Override
    public void execute(Runnable task) {
      scheduler.execute(task);
    }

    @Override
    public boolean inExecutor() {
      return Thread.currentThread() == thread;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      return scheduler.schedule(task, delay, unit);
    }
  }
}
