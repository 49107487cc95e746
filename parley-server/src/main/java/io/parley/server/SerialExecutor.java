package io.parley.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started only while there is
 * work: a socket's mailbox. Handlers may block without holding up other sockets or an event loop.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Executor threads;

  private final java.util.concurrent.atomic.AtomicInteger busy;

  /** {@code busy} counts tasks running across all mailboxes (for a graceful shutdown). */
  SerialExecutor(Executor threads, java.util.concurrent.atomic.AtomicInteger busy) {
    this.threads = threads;
    this.busy = busy;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (running.compareAndSet(false, true)) {
      try {
        threads.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        running.set(false); // the server has shut down: nothing runs any more
      }
    }
  }

  /**
   * Runs {@code task} on the calling thread when nothing is queued or running, keeping the order of
   * the mailbox; returns false (and runs nothing) otherwise, and the caller queues it instead.
   */
  boolean runInline(Runnable task) {
    if (!tasks.isEmpty() || !running.compareAndSet(false, true)) {
      return false;
    }
    busy.incrementAndGet();
    try {
      task.run();
    } catch (Throwable t) {
      log.warn("socket task failed", t);
    } finally {
      busy.decrementAndGet();
      running.set(false);
      if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
        threads.execute(this::drain);
      }
    }
    return true;
  }

  private void drain() {
    while (true) {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        busy.incrementAndGet();
        try {
          r.run();
        } catch (Throwable t) {
          log.warn("socket task failed", t);
        } finally {
          busy.decrementAndGet();
        }
      }
      running.set(false);
      if (tasks.isEmpty() || !running.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
