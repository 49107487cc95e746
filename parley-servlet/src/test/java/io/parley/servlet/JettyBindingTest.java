package io.parley.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The container contract in embedded Jetty 12 (ee10). */
class JettyBindingTest extends ContainerBindingContract {
  private Server jetty;

  @Override
  int startContainer(ParleyServlet parley) throws Exception {
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ServletHolder holder = new ServletHolder(parley);
    holder.setAsyncSupported(true);
    ctx.addServlet(holder, "/socket.io/*");
    ctx.addServlet(new ServletHolder(HELLO), "/hello");
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    jetty.setHandler(ctx);
    jetty.start();
    return connector.getLocalPort();
  }

  @Override
  void stopContainer() throws Exception {
    jetty.stop();
  }
}
