package com.example;

import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import io.parley.servlet.ParleyServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An application on embedded Tomcat 11 with its own servlet at {@code /api/hello} and Socket.IO at
 * {@code /socket.io/}, both on one port: Parley is one more servlet of the application.
 */
public class Main {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Tomcat tomcat = start(port, socketIo());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(tomcat)));   // Ctrl-C closes every connection
    System.out.println("http://localhost:" + tomcat.getConnector().getLocalPort() + "/api/hello, Socket.IO at /socket.io/");
    tomcat.getServer().await();
  }

  /** The Socket.IO side: a chat room, where every message sent goes to everyone in the lobby. */
  public static SocketIoServer socketIo() {
    SocketIoServer io = new SocketIoServer(ServerOptions.DEFAULT);
    io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("chat:send", (args, ack) -> {
        io.to("lobby").emit("chat:message", args.get(0));   // to every socket in the room, the sender too
        ack.send(Map.of("ok", true));                        // the reply to the sender's callback
      });
    });
    return io;
  }

  /** Starts Tomcat on {@code port} (0: any free port) with the application's servlet and Parley's. */
  public static Tomcat start(int port, SocketIoServer io) throws IOException, LifecycleException {
    Path base = Files.createTempDirectory("tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(port);
    Context context = tomcat.addContext("", base.toString());
    // Jakarta WebSocket in this context: Parley's WebSocket transport upgrades through it
    context.addServletContainerInitializer(new WsSci(), null);

    Tomcat.addServlet(context, "hello", new HelloServlet());
    context.addServletMappingDecoded("/api/hello", "hello");

    // long-polling parks requests asynchronously: the servlet needs async support
    Tomcat.addServlet(context, "parley", new ParleyServlet(io, EngineOptions.DEFAULT)).setAsyncSupported(true);
    context.addServletMappingDecoded("/socket.io/*", "parley");

    tomcat.getConnector();   // the default HTTP connector, on the port above
    tomcat.start();
    return tomcat;
  }

  /** Stops Tomcat, which destroys Parley's servlet: every socket is disconnected. */
  public static void stop(Tomcat tomcat) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The application's own servlet. */
  static final class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType("application/json");
      response.getWriter().write("{\"hello\":\"world\"}");
    }
  }
}
