package io.parley.server.testkit;

import io.parley.server.engine.EngineExecutor;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineExecutor} on virtual time for tests: the test thread is the executor's thread,
 * so work submitted from it runs inline; tasks from other threads wait for {@link #runPending()};
 * timers fire only when the test {@link #advance advances} the clock. Nothing sleeps.
 *
 * <p>It is also an {@link InstantSource} on the same virtual time (from the epoch), to be given as
 * the clock of what judges time itself, such as {@code RecoveryOptions.clock}: one
 * {@link #advance} then moves the engine's timers and those windows together.
 */
public final class ManualExecutor implements EngineExecutor, InstantSource {
  private final Thread owner = Thread.currentThread();
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final List<Timer> timers = new ArrayList<>();
  private volatile long now;
  private long sequence;

  @Override
  public boolean inExecutor() {
    return Thread.currentThread() == owner;
  }

  @Override
  public synchronized void execute(Runnable task) {
    pending.add(task);
  }

  /** Runs the tasks submitted so far (and those they submit). */
  public void runPending() {
    Runnable r;
    while ((r = poll()) != null) {
      r.run();
    }
  }

  private synchronized Runnable poll() {
    return pending.poll();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    Timer t = new Timer(now + unit.toMillis(delay), sequence++, task);
    timers.add(t);
    return t;
  }

  /** The virtual time, in milliseconds since the executor was made. */
  public long now() {
    return now;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(now);
  }

  /** Moves the clock forward, firing every timer that falls due, in deadline order. */
  public void advance(Duration d) {
    long until = now + d.toMillis();
    while (true) {
      runPending();
      Timer next = nextDue(until);
      if (next == null) {
        break;
      }
      now = next.deadline;
      next.task.run();
    }
    now = until;
    runPending();
  }

  private synchronized Timer nextDue(long until) {
    timers.removeIf(Timer::isCancelled);
    Timer next = timers.stream().min(Comparator.comparingLong((Timer t) -> t.deadline).thenComparingLong(t -> t.seq))
        .orElse(null);
    if (next == null || next.deadline > until) {
      return null;
    }
    timers.remove(next);
    next.done = true;
    return next;
  }

  /** Timers not yet fired or cancelled. */
  public synchronized int scheduledTimers() {
    timers.removeIf(Timer::isCancelled);
    return timers.size();
  }

  private final class Timer implements ScheduledFuture<Object> {
    final long deadline;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;
    volatile boolean done;

    Timer(long deadline, long seq, Runnable task) {
      this.deadline = deadline;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(deadline - now, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      if (done) {
        return false;
      }
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("virtual-time timer");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("virtual-time timer");
    }
  }
}
