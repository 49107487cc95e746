package io.parley.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a command running until SIGTERM / Ctrl-C, then closes what it started, in order. */
final class Running {
  private Running() {}

  static int untilShutdown(AutoCloseable... resources) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          System.err.println("closing " + r + " failed: " + e);
        }
      }
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
