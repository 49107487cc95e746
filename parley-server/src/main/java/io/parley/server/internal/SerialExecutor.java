package io.parley.server.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started only while there is
 * work: a socket's mailbox. Handlers may block without holding up other sockets or an event loop.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private static final VarHandle RUNNING;
  private static final VarHandle TASKS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RUNNING = l.findVarHandle(SerialExecutor.class, "running", boolean.class);
      TASKS = l.findVarHandle(SerialExecutor.class, "tasks", Queue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Created with the first task that has to wait: a mailbox whose tasks all ran inline has none. */
  private volatile Queue<Runnable> tasks;
  private volatile boolean running;
  private final Executor threads;

  private final java.util.concurrent.atomic.AtomicInteger busy;

  /** {@code busy} counts tasks running across all mailboxes (for a graceful shutdown). */
  public SerialExecutor(Executor threads, java.util.concurrent.atomic.AtomicInteger busy) {
    this.threads = threads;
    this.busy = busy;
  }

  @Override
  public void execute(Runnable task) {
    queue().add(task);
    if (RUNNING.compareAndSet(this, false, true)) {
      try {
        threads.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        running = false; // the server has shut down: nothing runs any more
      }
    }
  }

  private Queue<Runnable> queue() {
    Queue<Runnable> q = tasks;
    if (q == null) {
      Queue<Runnable> fresh = new ConcurrentLinkedQueue<>();
      q = TASKS.compareAndSet(this, null, fresh) ? fresh : tasks;
    }
    return q;
  }

  private boolean queued() {
    Queue<Runnable> q = tasks;
    return q != null && !q.isEmpty();
  }

  /**
   * Runs {@code task} on the calling thread when nothing is queued or running, keeping the order of
   * the mailbox; returns false (and runs nothing) otherwise, and the caller queues it instead.
   */
  public boolean runInline(Runnable task) {
    if (queued() || !RUNNING.compareAndSet(this, false, true)) {
      return false;
    }
    busy.incrementAndGet();
    try {
      task.run();
    } catch (Throwable t) {
      log.warn("socket task failed", t);
    } finally {
      busy.decrementAndGet();
      running = false;
      if (queued() && RUNNING.compareAndSet(this, false, true)) {
        threads.execute(this::drain);
      }
    }
    return true;
  }

  private void drain() {
    Queue<Runnable> tasks = queue();
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
      running = false;
      if (tasks.isEmpty() || !RUNNING.compareAndSet(this, false, true)) {
        return;
      }
    }
  }
}
