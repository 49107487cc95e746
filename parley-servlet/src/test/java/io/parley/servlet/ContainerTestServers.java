package io.parley.servlet;

import io.parley.netty.testkit.TestServer;
import io.parley.netty.testkit.TestServers;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The servers of the official-client suites ({@code io.parley.netty.client}, from parley-netty's
 * test-jar) when they run here: {@link ParleyServlet} alone in an embedded container. Named by
 * the suites' {@value TestServers#PARAMETER} parameter, hence public with a no-argument
 * constructor per container.
 */
public abstract class ContainerTestServers implements TestServers {
  private final EmbeddedContainer container;

  ContainerTestServers(EmbeddedContainer container) {
    this.container = container;
  }

  @Override
  public TestServer start(ServerOptions serverOptions, EngineOptions engineOptions, Consumer<SocketIoServer> setup) {
    SocketIoServer io = new SocketIoServer(serverOptions);
    setup.accept(io);
    ParleyServlet parley = new ParleyServlet(io, engineOptions);
    EmbeddedContainer.Running running;
    try {
      running = container.start(List.of(parley), Map.of());
    } catch (Exception e) {
      parley.close();
      throw new IllegalStateException("starting " + container, e);
    }
    return new TestServer() {
      private final AtomicBoolean closed = new AtomicBoolean();

      @Override
      public SocketIoServer io() {
        return io;
      }

      @Override
      public int port() {
        return running.port();
      }

      @Override
      public int sessionCount() {
        return parley.sessionCount();
      }

      @Override
      public void close() {
        if (!closed.compareAndSet(false, true)) {
          return; // as ParleyServer: later calls do nothing
        }
        parley.close();
        running.close();
      }

      @Override
      public String toString() {
        return container + " on port " + running.port();
      }
    };
  }

  /** ParleyServlet in embedded Tomcat 11. */
  public static final class Tomcat extends ContainerTestServers {
    public Tomcat() {
      super(EmbeddedContainer.TOMCAT);
    }
  }

  /** ParleyServlet in embedded Jetty 12 (ee10). */
  public static final class Jetty extends ContainerTestServers {
    public Jetty() {
      super(EmbeddedContainer.JETTY);
    }
  }
}
