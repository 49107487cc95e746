package io.parley.app;

import io.parley.servlet.ParleyServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Embedded Tomcat 11 carrying Parley's servlets: the servlet binding of the commands
 * ({@code --binding servlet}) and of the tests that run them, started here and nowhere else. One
 * HTTP/1.1 connector on {@code host:port}; Jakarta WebSocket installed ({@link WsSci}); each
 * {@link ParleyServlet} mapped at its Engine.IO path ({@code options().path() + "*"}) with async
 * support; nothing else in the context (no web.xml, no scanning, no default servlet).
 */
public final class EmbeddedTomcat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTomcat.class);
  /** As ParleyServer's default connection limit: the container's own default (8192) would cap a benchmark. */
  private static final int MAX_CONNECTIONS = 100_000;
  /** As ParleyServer's listen backlog. */
  private static final int ACCEPT_COUNT = 1024;

  private final Tomcat tomcat;
  private final Path base;
  private final List<ParleyServlet> servlets;

  private EmbeddedTomcat(Tomcat tomcat, Path base, List<ParleyServlet> servlets) {
    this.tomcat = tomcat;
    this.base = base;
    this.servlets = servlets;
  }

  /**
   * Starts Tomcat on {@code host:port} (port 0: any free one) with {@code servlets} mounted.
   *
   * @throws LifecycleException when Tomcat does not start (the port is taken, say); what started is released
   */
  public static EmbeddedTomcat start(String host, int port, List<ParleyServlet> servlets)
      throws LifecycleException, IOException {
    bridgeLogging();
    Path base = Files.createTempDirectory("parley-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setHostname(host);
    Connector connector = new Connector(); // HTTP/1.1, NIO
    connector.setPort(port);
    connector.setProperty("address", host);
    connector.setProperty("maxConnections", Integer.toString(MAX_CONNECTIONS));
    connector.setProperty("acceptCount", Integer.toString(ACCEPT_COUNT));
    connector.setProperty("maxKeepAliveRequests", "-1"); // a polling client keeps its connection
    tomcat.setConnector(connector);
    tomcat.getHost().setAutoDeploy(false);
    Context ctx = tomcat.addContext("", base.toString());
    if (ctx instanceof StandardContext sc) {
      // a context that is never redeployed: no leak detection at stop (which wants --add-opens and warns without)
      sc.setClearReferencesThreadLocals(false);
      sc.setClearReferencesRmiTargets(false);
    }
    ctx.addServletContainerInitializer(new WsSci(), null);
    for (int i = 0; i < servlets.size(); i++) {
      ParleyServlet servlet = servlets.get(i);
      String name = "parley-" + i;
      Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
      ctx.addServletMapping(servlet.options().path() + "*", name);
    }
    EmbeddedTomcat embedded = new EmbeddedTomcat(tomcat, base, List.copyOf(servlets));
    try {
      tomcat.start();
      if (connector.getState().isAvailable()) {
        log.info("Parley listening on {}:{} (Tomcat {}, servlets at {})", host, embedded.port(),
            ServerInfo.getServerNumber(), servlets.stream().map(s -> s.options().path()).toList());
        return embedded;
      }
      // Tomcat logs a connector that fails to bind and goes on without it
      throw new LifecycleException("cannot listen on " + host + ":" + port);
    } catch (LifecycleException | RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  /** Tomcat logs through java.util.logging: its records go to SLF4J, so they take the command's log format. */
  private static synchronized void bridgeLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return tomcat.getConnector().getLocalPort();
  }

  /**
   * Closes the servlets (their sockets disconnected, the close packets sent), then stops Tomcat and
   * removes its working directory.
   */
  @Override
  public void close() {
    servlets.forEach(ParleyServlet::close);
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("stopping Tomcat", e);
    } finally {
      delete(base);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
