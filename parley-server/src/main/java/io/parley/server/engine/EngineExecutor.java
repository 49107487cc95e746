package io.parley.server.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The thread an Engine.IO session is confined to, as its binding provides it: a Netty event loop,
 * or a serial executor over a container's threads. Every task of one session runs there, one at a
 * time, so the session's state needs no lock. {@link #execute} and {@link #schedule} may be called
 * from any thread.
 */
public interface EngineExecutor extends Executor {
  /** Whether the calling thread is this executor's (a task may then run inline instead of being queued). */
  boolean inExecutor();

  /** Runs {@code task} on this executor after {@code delay}. */
  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);
}
