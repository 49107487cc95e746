package io.parley.servlet;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/** The container contract in embedded Tomcat 11. */
class TomcatBindingTest extends ContainerBindingContract {
  private Tomcat tomcat;

  @Override
  int startContainer(ParleyServlet parley) throws Exception {
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.getPath());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context ctx = tomcat.addContext("", base.getPath());
    ctx.addServletContainerInitializer(new WsSci(), null);
    Tomcat.addServlet(ctx, "parley", parley).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/socket.io/*", "parley");
    Tomcat.addServlet(ctx, "hello", HELLO);
    ctx.addServletMappingDecoded("/hello", "hello");
    tomcat.getConnector().setProperty("address", "127.0.0.1"); // creates the default connector, on loopback
    tomcat.start();
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  void stopContainer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
