package io.parley.app;

import io.parley.netty.ParleyServer;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.EngineOptions;
import io.parley.servlet.ParleyServlet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A server of the commands (and of the app's tests) on either {@link Binding}: the Socket.IO
 * endpoint plus any raw Engine.IO endpoints, served by {@link ParleyServer} on Netty or by one
 * {@link ParleyServlet} per endpoint in {@link EmbeddedTomcat}. Handlers go on {@link #io()} before
 * or after {@link #start()}, as with either binding directly.
 */
public final class AppServer implements AutoCloseable {
  private final Builder config;
  private final SocketIoServer io;
  private final ParleyServer netty; // NETTY only
  private final List<ParleyServlet> servlets = new ArrayList<>(); // SERVLET only
  private EmbeddedTomcat tomcat;

  private AppServer(Builder b) {
    this.config = b;
    if (b.binding == Binding.NETTY) {
      ParleyServer.Builder nb = ParleyServer.builder().host(b.host).port(b.port).engine(b.engine).server(b.server);
      for (int i = 0; i < b.endpointOptions.size(); i++) {
        nb.endpoint(b.endpointOptions.get(i), b.endpointHandlers.get(i));
      }
      b.nettySettings.accept(nb);
      netty = nb.build();
      io = netty.io();
    } else {
      netty = null;
      io = new SocketIoServer(b.server);
      servlets.add(new ParleyServlet(io, b.engine));
      for (int i = 0; i < b.endpointOptions.size(); i++) {
        servlets.add(ParleyServlet.endpoint(b.endpointOptions.get(i), b.endpointHandlers.get(i)));
      }
    }
  }

  /** A builder for a server on {@code binding}: {@code 127.0.0.1:3000}, default options, no extra endpoint. */
  public static Builder builder(Binding binding) {
    return new Builder(binding);
  }

  /** The Socket.IO server. */
  public SocketIoServer io() {
    return io;
  }

  public Binding binding() {
    return config.binding;
  }

  /** Binds the port and starts serving. */
  public synchronized AppServer start() throws Exception {
    if (netty != null) {
      netty.start();
    } else {
      tomcat = EmbeddedTomcat.start(config.host, config.port, servlets);
    }
    return this;
  }

  /** The bound port, once started. */
  public int port() {
    return netty != null ? netty.port() : tomcat.port();
  }

  /** Disconnects every socket and stops serving (later calls do nothing). */
  @Override
  public synchronized void close() {
    if (netty != null) {
      netty.close();
    } else if (tomcat != null) {
      tomcat.close();
      tomcat = null;
    } else {
      servlets.forEach(ParleyServlet::close); // built, never started
    }
  }

  @Override
  public String toString() {
    return "Parley (" + config.binding.name().toLowerCase(java.util.Locale.ROOT) + ") on " + config.host + ":" + config.port;
  }

  /** What to serve, and where. Not thread-safe. */
  public static final class Builder {
    private final Binding binding;
    private String host = "127.0.0.1";
    private int port = 3000;
    private EngineOptions engine = EngineOptions.DEFAULT;
    private ServerOptions server = ServerOptions.DEFAULT;
    private final List<EngineOptions> endpointOptions = new ArrayList<>();
    private final List<EngineHandler> endpointHandlers = new ArrayList<>();
    private Consumer<ParleyServer.Builder> nettySettings = b -> { };

    private Builder(Binding binding) {
      this.binding = binding;
    }

    public Builder host(String h) {
      host = h;
      return this;
    }

    /** The port; 0 for any free one. */
    public Builder port(int p) {
      port = p;
      return this;
    }

    /** The Engine.IO options of the Socket.IO endpoint. */
    public Builder engine(EngineOptions o) {
      engine = o;
      return this;
    }

    public Builder server(ServerOptions o) {
      server = o;
      return this;
    }

    /** Another Engine.IO endpoint at {@code o.path()}, whose connections go to {@code handler}. */
    public Builder endpoint(EngineOptions o, EngineHandler handler) {
      endpointOptions.add(o);
      endpointHandlers.add(handler);
      return this;
    }

    /** Settings that only the Netty binding has (I/O threads, trusted proxies); ignored on the servlet binding. */
    public Builder netty(Consumer<ParleyServer.Builder> settings) {
      nettySettings = settings;
      return this;
    }

    public AppServer build() {
      return new AppServer(this);
    }
  }
}
