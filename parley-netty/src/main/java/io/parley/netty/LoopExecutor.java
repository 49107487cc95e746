package io.parley.netty;

import io.netty.channel.EventLoop;
import io.parley.server.engine.EngineExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A Netty event loop as the engine's {@link EngineExecutor}: one per loop, made when the server starts. */
final class LoopExecutor implements EngineExecutor {
  final EventLoop loop;

  LoopExecutor(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public boolean inExecutor() {
    return loop.inEventLoop();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return loop.schedule(task, delay, unit);
  }
}
