package io.parley.spring;

import io.parley.server.SocketIoServer;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops Socket.IO with the application context. On stop (the context closing), the
 * server is closed as socket.io's {@code io.close()}: running handlers get
 * {@code parley.shutdown-timeout} to finish, every socket is disconnected with the reason
 * {@code server shutting down} (its connection closed without a DISCONNECT packet, so clients
 * reconnect, to another node if there is one), and the adapters are closed.
 *
 * <p>It runs in phase {@link #PHASE}: it stops after the beans of the default phase (whatever
 * still emits) and before the web server, which begins its graceful shutdown
 * ({@code server.shutdown=graceful}) in phase {@code Integer.MAX_VALUE - 1024} and stops in phase
 * {@code Integer.MAX_VALUE - 2048}. So the long-polling requests and WebSockets that Parley holds
 * are answered and closed before the web server waits for its requests to end, and a graceful
 * shutdown is not held up by them. With {@code parley.port} it also starts the standalone server
 * (after the web server, if any) and stops it.
 */
public final class ParleyLifecycle implements SmartLifecycle {
  /** Stops between the default phase ({@code Integer.MAX_VALUE}) and the web server's graceful shutdown. */
  public static final int PHASE = Integer.MAX_VALUE - 512;

  /** What starting and stopping mean for one binding. */
  interface Binding {
    void start() throws Exception;

    void stop();
  }

  private final SocketIoServer io;
  private final Binding binding;
  private volatile boolean running;

  ParleyLifecycle(SocketIoServer io, Binding binding) {
    this.io = io;
    this.binding = binding;
  }

  /** A server on the application's own port: the web server carries it, stopping closes it. */
  static ParleyLifecycle onApplicationPort(SocketIoServer io) {
    return new ParleyLifecycle(io, new Binding() {
      @Override
      public void start() {}

      @Override
      public void stop() {
        io.close();
      }
    });
  }

  /** The Socket.IO server this lifecycle stops. */
  public SocketIoServer io() {
    return io;
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    if (io.isClosing()) {
      throw new IllegalStateException("the Socket.IO server was closed and cannot start again");
    }
    try {
      binding.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Parley", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Parley did not start: " + e.getMessage(), e);
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    binding.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * Not paused by {@code ConfigurableApplicationContext.pause()}: a closed Socket.IO server cannot
   * start again, so only the context's stop or close closes it (for good).
   */
  @Override
  public boolean isPauseable() {
    return false;
  }
}
