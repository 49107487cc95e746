package io.parley.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** The {@link LoopExecutor} of each event loop of a group, made once: a session's executor is its loop's, shared. */
final class LoopExecutors {
  private final Map<EventExecutor, LoopExecutor> byLoop = new IdentityHashMap<>();

  LoopExecutors(EventLoopGroup group) {
    for (EventExecutor e : group) {
      byLoop.put(e, new LoopExecutor((EventLoop) e));
    }
  }

  LoopExecutor of(EventLoop loop) {
    LoopExecutor e = byLoop.get(loop);
    return e != null ? e : new LoopExecutor(loop); // a loop of another group (not expected)
  }
}
