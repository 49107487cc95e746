package io.parley.netty.testkit;

import io.parley.netty.ParleyServer;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the servers of tests that must hold on every binding: {@link #NETTY} unless the JUnit
 * configuration parameter {@value #PARAMETER} names another implementation (a public class with a
 * public no-argument constructor). parley-servlet's tests run the official-client suites of
 * {@code io.parley.netty.client} in containers that way, from a JUnit suite setting the parameter.
 */
@FunctionalInterface
public interface TestServers {
  /** The configuration parameter naming the implementation to use. */
  String PARAMETER = "parley.test.servers";

  /** {@code ParleyServer} on 127.0.0.1, a free port, two event loops. */
  TestServers NETTY = (serverOptions, engineOptions, setup) -> {
    ParleyServer s = ParleyServer.builder().host("127.0.0.1").port(0).ioThreads(2)
        .server(serverOptions).engine(engineOptions).build();
    setup.accept(s.io());
    try {
      s.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.close();
      throw new IllegalStateException(e);
    }
    return new TestServer() {
      @Override
      public SocketIoServer io() {
        return s.io();
      }

      @Override
      public int port() {
        return s.port();
      }

      @Override
      public int sessionCount() {
        return s.sessionCount();
      }

      @Override
      public void close() {
        s.close();
      }

      @Override
      public String toString() {
        return "Netty on port " + s.port();
      }
    };
  };

  /**
   * Starts a server with these options, its Socket.IO endpoint at {@code engineOptions.path()};
   * {@code setup} gets the Socket.IO server before the server takes connections.
   */
  TestServer start(ServerOptions serverOptions, EngineOptions engineOptions, Consumer<SocketIoServer> setup);

  /** The implementation {@code context}'s configuration names, or {@link #NETTY}. */
  static TestServers of(ExtensionContext context) {
    return context.getConfigurationParameter(PARAMETER).map(TestServers::load).orElse(NETTY);
  }

  private static TestServers load(String className) {
    try {
      return (TestServers) Class.forName(className).getConstructor().newInstance();
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException | ClassCastException e) {
      throw new IllegalArgumentException(PARAMETER + "=" + className + ": not a TestServers with a public no-argument constructor", e);
    }
  }
}
