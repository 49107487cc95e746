package io.parley.servlet;

import io.parley.server.engine.EngineExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /**
   * Lets the tasks already queued run (the closes a server shutdown queued: a session closes on its
   * own loop and may write to a socket of another loop, hence two rounds of an empty task on every
   * loop, a second each at most), then stops the loops and their timers.
   */
  @Override
  public void close() {
    for (int round = 0; round < 2; round++) {
      List<Future<?>> done = new ArrayList<>();
      for (Loop l : loops) {
        try {
          done.add(l.scheduler.submit(() -> { }));
        } catch (RejectedExecutionException e) {
          // already stopped
        }
      }
      for (Future<?> f : done) {
        try {
          f.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (ExecutionException | TimeoutException e) {
          // a loop that does not drain in time is stopped anyway
        }
      }
    }
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
