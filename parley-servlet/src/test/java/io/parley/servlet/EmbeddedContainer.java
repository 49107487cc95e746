package io.parley.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The embedded containers the servlet binding is tested in, started here only: a free loopback
 * port, Jakarta WebSocket installed, each {@link ParleyServlet} mapped at its Engine.IO path with
 * async support, and any application servlets beside them.
 */
enum EmbeddedContainer {
  TOMCAT {
    @Override
    Running start(List<ParleyServlet> parley, Map<String, HttpServlet> others) throws Exception {
      File base = Files.createTempDirectory("tomcat").toFile();
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(base.getPath());
      tomcat.setHostname("127.0.0.1");
      tomcat.setPort(0);
      Context ctx = tomcat.addContext("", base.getPath());
      if (ctx instanceof StandardContext sc) { // never redeployed: no leak detection at stop (it wants --add-opens)
        sc.setClearReferencesThreadLocals(false);
        sc.setClearReferencesRmiTargets(false);
      }
      ctx.addServletContainerInitializer(new WsSci(), null);
      int n = 0;
      for (ParleyServlet p : parley) {
        String name = "parley-" + n++;
        Tomcat.addServlet(ctx, name, p).setAsyncSupported(true);
        ctx.addServletMapping(p.options().path() + "*", name);
      }
      for (Map.Entry<String, HttpServlet> e : others.entrySet()) {
        String name = "app-" + n++;
        Tomcat.addServlet(ctx, name, e.getValue());
        ctx.addServletMapping(e.getKey(), name);
      }
      tomcat.getConnector().setProperty("address", "127.0.0.1"); // creates the default connector, on loopback
      tomcat.start();
      return new Running() {
        @Override
        public int port() {
          return tomcat.getConnector().getLocalPort();
        }

        @Override
        public void close() {
          try {
            tomcat.stop();
            tomcat.destroy();
            try (var files = Files.walk(base.toPath())) {
              files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
          } catch (Exception e) {
            throw new IllegalStateException("stopping Tomcat", e);
          }
        }
      };
    }
  },

  JETTY {
    @Override
    Running start(List<ParleyServlet> parley, Map<String, HttpServlet> others) throws Exception {
      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      ServletContextHandler ctx = new ServletContextHandler();
      ctx.setContextPath("/");
      for (ParleyServlet p : parley) {
        ServletHolder holder = new ServletHolder(p);
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, p.options().path() + "*");
      }
      others.forEach((path, servlet) -> ctx.addServlet(new ServletHolder(servlet), path));
      JakartaWebSocketServletContainerInitializer.configure(ctx, null);
      jetty.setHandler(ctx);
      jetty.start();
      return new Running() {
        @Override
        public int port() {
          return connector.getLocalPort();
        }

        @Override
        public void close() {
          try {
            jetty.stop();
          } catch (Exception e) {
            throw new IllegalStateException("stopping Jetty", e);
          }
        }
      };
    }
  };

  /** A started container. */
  interface Running extends AutoCloseable {
    int port();

    /** Stops the container. */
    @Override
    void close();
  }

  /** Starts the container with {@code parley} mounted and {@code others} (mapping to servlet) beside them. */
  abstract Running start(List<ParleyServlet> parley, Map<String, HttpServlet> others) throws Exception;
}
