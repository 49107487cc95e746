package io.parley.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.Engine;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.EngineOptions;
import io.parley.server.http.HttpRoute;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley on Netty: an HTTP/1.1 server carrying the Socket.IO endpoint (and optionally more
 * Engine.IO endpoints and plain HTTP routes), as socket.io's {@code new Server(3000, options)}.
 *
 * <pre>{@code
 * ParleyServer server = ParleyServer.builder().port(3000).build();
 * server.io().onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
 * server.start();
 * }</pre>
 *
 * <p>Netty event loops own the connections (HTTP parsing, Engine.IO framing, heartbeats) and never
 * run application code; socket handlers run on virtual threads (see {@link SocketIoServer}).
 * {@link #start} and {@link #close} may be called from any thread, once each.
 */
public final class ParleyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

  /**
   * Seconds a connection may stay silent before it is accepted anyway ({@code TCP_DEFER_ACCEPT}):
   * every client of this server speaks first (an HTTP request, or a TLS hello).
   */
  private static final int DEFER_ACCEPT_SECONDS = 5;

  private final Builder config;
  private final SocketIoServer io;
  private final List<Engine> endpoints = new ArrayList<>();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private final List<Channel> serverChannels = new ArrayList<>();
  private boolean closed;

  private ParleyServer(Builder b) {
    this.config = b;
    this.io = new SocketIoServer(b.serverOptions);
    endpoints.add(new Engine(b.engineOptions, io, io::metrics));
    for (int i = 0; i < b.extraOptions.size(); i++) {
      endpoints.add(new Engine(b.extraOptions.get(i), b.extraHandlers.get(i), io::metrics));
    }
  }

  /** A builder with the defaults: {@code 0.0.0.0:3000}, no TLS, Socket.IO at {@code /socket.io/}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Socket.IO server: register namespaces and listeners here, before or after {@link #start}.
   */
  public SocketIoServer io() {
    return io;
  }

  /**
   * Binds the port and starts serving. On Linux (epoll) every event loop accepts its own
   * connections: one listening socket per loop on the same port ({@code SO_REUSEPORT}, the kernel
   * spreads new connections over them), and a connection stays on the loop that accepted it, so
   * no connection is handed from an acceptor thread to another thread. With
   * {@code TCP_DEFER_ACCEPT} a connection is accepted once its first request has arrived, so the
   * accept and the first read take one wake-up of the loop instead of two. Elsewhere (NIO) one
   * acceptor thread hands connections to the loops.
   *
   * <p>When the port cannot be bound, the threads started for it are released and the failure is
   * thrown (a {@code ChannelException}, or the {@code BindException} that Netty rethrows unchecked).
   *
   * @return this server
   * @throws InterruptedException when interrupted while binding
   */
  public synchronized ParleyServer start() throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    workers = new MultiThreadIoEventLoopGroup(
        config.ioThreads > 0 ? config.ioThreads : Runtime.getRuntime().availableProcessors(), factory);
    List<HttpRoute> routes = List.copyOf(config.routes);
    LoopExecutors executors = new LoopExecutors(workers);
    ConnectionLimiter limiter = new ConnectionLimiter(config.connectionLimits, config.trustedProxies);
    int maxBody = endpoints.stream().mapToInt(e -> e.options().maxHttpBufferSize()).max().orElse(1_000_000);
    ChannelInitializer<SocketChannel> init = new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limits", limiter);
        if (config.sslContext != null) {
          p.addLast("tls", config.sslContext.newHandler(ch.alloc()));
        }
        // One flush per event-loop pass instead of one per packet (acks answered inline, bursts).
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("http", new HttpServerCodec());
        if (config.httpCompression) {
          p.addLast("http-compressor", new HttpContentCompressor(1024, StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()));
        }
        if (config.perMessageDeflate) {
          p.addLast("ws-deflate", new WebSocketServerCompressionHandler(0));
        }
        p.addLast("http-aggregator", new HttpObjectAggregator(maxBody));
        p.addLast("parley", new HttpRequestHandler(endpoints, routes, config.trustedProxies, limiter, executors));
      }
    };
    try {
      bind(init, epoll, factory);
    } catch (Exception e) { // a failed bind (Netty rethrows the BindException unchecked): release what started
      for (Channel ch : serverChannels) {
        ch.close().syncUninterruptibly();
      }
      serverChannels.clear();
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (boss != null) {
        boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
      workers = null;
      boss = null;
      throw e;
    }
    log.info("Parley listening on {}:{} ({}, {}, Socket.IO at {})", config.host, port(), epoll ? "epoll" : "nio",
        boss == null ? "every event loop accepts" : "one acceptor thread", config.engineOptions.path());
    return this;
  }

  private void bind(ChannelInitializer<SocketChannel> init, boolean epoll, IoHandlerFactory factory)
      throws InterruptedException {
    if (epoll && config.acceptOnEveryLoop) {
      InetSocketAddress address = new InetSocketAddress(config.host, config.port);
      if (config.port != 0) {
        ensurePortFree(address); // SO_REUSEPORT would otherwise share the port with another server of this user
      }
      for (EventExecutor e : workers) {
        EventLoop loop = (EventLoop) e;
        Channel ch = bootstrap(init, EpollServerSocketChannel.class).group(loop, loop)
            .option(EpollChannelOption.SO_REUSEPORT, true)
            .option(EpollChannelOption.TCP_DEFER_ACCEPT, DEFER_ACCEPT_SECONDS)
            .bind(address).sync().channel();
        serverChannels.add(ch);
        address = (InetSocketAddress) ch.localAddress(); // port 0: the others join the port the first got
      }
    } else {
      boss = new MultiThreadIoEventLoopGroup(1, factory);
      serverChannels.add(bootstrap(init, epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
          .group(boss, workers).bind(new InetSocketAddress(config.host, config.port)).sync().channel());
    }
  }

  private ServerBootstrap bootstrap(ChannelInitializer<SocketChannel> init, Class<? extends ServerChannel> channel) {
    return new ServerBootstrap()
        .channel(channel)
        .option(ChannelOption.SO_BACKLOG, 1024)
        // TCP_NODELAY: Netty sets it on every accepted socket by default (setting it again here
        // cost a second setsockopt per connection)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(init);
  }

  /** Fails as a plain bind would when the port is taken, even by sockets that allow port sharing. */
  private static void ensurePortFree(InetSocketAddress address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(address, 1);
    } catch (IOException e) {
      throw new ChannelException("cannot bind " + address + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bound port (useful with port 0). Only after {@link #start}: before, it throws
   * {@link IndexOutOfBoundsException}.
   */
  public int port() {
    return ((InetSocketAddress) serverChannels.get(0).localAddress()).getPort();
  }

  /**
   * Number of open Engine.IO sessions on the Socket.IO endpoint (each may carry sockets in several
   * namespaces).
   */
  public int sessionCount() {
    return endpoints.get(0).sessionCount();
  }

  /**
   * Stops accepting, disconnects every socket ({@code server shutting down}) and releases the threads:
   * {@link SocketIoServer#close()} (which gives running handlers up to
   * {@code ServerOptions.shutdownTimeout} to finish), then the event loops. Blocks meanwhile; later
   * calls do nothing. Do not call it from a socket handler (see {@link SocketIoServer#close()}).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel ch : serverChannels) {
      ch.close().syncUninterruptibly();
    }
    io.close();
    if (workers != null) {
      drainWorkers();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      if (boss != null) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  /**
   * Lets the closes that {@code io.close()} queued reach the wire before the event loops stop
   * (stopping a loop closes its channels at once). A session closes on its own loop and writes
   * its close packet to a long-poll GET or WebSocket that may live on another loop, hence two
   * rounds of an empty task on every loop.
   */
  private void drainWorkers() {
    for (int round = 0; round < 2; round++) {
      List<Future<?>> done = new ArrayList<>();
      for (EventExecutor e : workers) {
        done.add(e.submit(() -> { }));
      }
      for (Future<?> f : done) {
        f.awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Configures a {@link ParleyServer}; each setter returns the builder. Not thread-safe.
   *
   * <pre>{@code
   * ParleyServer server = ParleyServer.builder()
   *     .port(8443)
   *     .tls(new File("cert.pem"), new File("key.pem"))
   *     .engine(EngineOptions.builder().cors(CorsOptions.origins("https://app.example.com")).build())
   *     .server(ServerOptions.builder().adapterFactory(RedisAdapters.classic(redis)).build())
   *     .trustedProxies(TrustedProxies.of("10.0.0.0/8"))
   *     .route((req, res) -> {
   *       if (!req.path().equals("/health")) return false;
   *       res.respond(HttpResponse.text(200, "UP"));
   *       return true;
   *     })
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 3000;
    private int ioThreads = 0;
    private boolean acceptOnEveryLoop = true;
    private EngineOptions engineOptions = EngineOptions.DEFAULT;
    private ServerOptions serverOptions = ServerOptions.DEFAULT;
    private final List<EngineOptions> extraOptions = new ArrayList<>();
    private final List<EngineHandler> extraHandlers = new ArrayList<>();
    private final List<HttpRoute> routes = new ArrayList<>();
    private SslContext sslContext;
    private boolean perMessageDeflate;
    private boolean httpCompression = true;
    private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULT;
    private TrustedProxies trustedProxies = TrustedProxies.NONE;

    /** The defaults; the same as {@code builder()}. */
    public Builder() {}

    /**
     * Reverse proxies whose {@code X-Forwarded-For} is believed (default none): from them, the
     * client address of a request (the handshake's address, the per-address limits,
     * {@link ClientAddress} for routes) is the right-most forwarded address that is not itself a
     * trusted proxy. The header from any other peer is ignored.
     *
     * @param t the trusted proxies
     * @return this builder
     */
    public Builder trustedProxies(TrustedProxies t) {
      this.trustedProxies = java.util.Objects.requireNonNull(t, "trustedProxies");
      return this;
    }

    /**
     * Bounds on open connections, in total and per client address ({@link ConnectionLimits#DEFAULT}).
     *
     * @param l the limits
     * @return this builder
     */
    public Builder connectionLimits(ConnectionLimits l) {
      this.connectionLimits = l;
      return this;
    }

    /**
     * The address to bind ({@code 0.0.0.0}: every IPv4 interface); {@code 127.0.0.1} for local only.
     *
     * @param h an IP address or host name
     * @return this builder
     */
    public Builder host(String h) {
      this.host = h;
      return this;
    }

    /**
     * The port; 0 picks a free one (read it with {@link ParleyServer#port()}). Default 3000.
     *
     * @param p the port
     * @return this builder
     */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    /**
     * Event loop threads; 0 (default): one per core. Blocking work runs on virtual threads, so more
     * loops than cores only add context switches (measured: fewer acks/s at more CPU per ack).
     *
     * @param n the number of event loops, or 0
     * @return this builder
     */
    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    /**
     * On Linux (epoll), whether every event loop accepts its own connections on a listening socket
     * of its own ({@code SO_REUSEPORT} and {@code TCP_DEFER_ACCEPT}; default on) instead of one
     * acceptor thread handing each connection to a loop: less CPU and one thread hop less per
     * connection. The port is checked free first, so a second server on a taken port still fails.
     *
     * @param b false for one acceptor thread
     * @return this builder
     */
    public Builder acceptOnEveryLoop(boolean b) {
      this.acceptOnEveryLoop = b;
      return this;
    }

    /**
     * The Engine.IO options of the Socket.IO endpoint: path, heartbeat, buffer sizes, CORS, handshake
     * checks ({@link EngineOptions#DEFAULT}).
     *
     * @param o the options
     * @return this builder
     */
    public Builder engine(EngineOptions o) {
      this.engineOptions = o;
      return this;
    }

    /**
     * The Socket.IO options of the server this builder makes ({@link ServerOptions#DEFAULT}).
     *
     * @param o the options
     * @return this builder
     */
    public Builder server(ServerOptions o) {
      this.serverOptions = o;
      return this;
    }

    /**
     * Mounts another Engine.IO endpoint (e.g. a raw Engine.IO service) at {@code options.path()}.
     * Requests are matched against the Socket.IO endpoint first, then these in the order added.
     *
     * @param o the endpoint's options (its own path)
     * @param handler takes its connections
     * @return this builder
     */
    public Builder endpoint(EngineOptions o, EngineHandler handler) {
      extraOptions.add(o);
      extraHandlers.add(handler);
      return this;
    }

    /**
     * Adds a plain HTTP route, offered every request that no Engine.IO endpoint takes, in the order
     * added; a request no route takes gets 404. See {@link HttpRoute} for its thread.
     *
     * @param r the route
     * @return this builder
     */
    public Builder route(HttpRoute r) {
      routes.add(r);
      return this;
    }

    /**
     * Negotiates permessage-deflate with WebSocket clients that offer it (default off, as the reference).
     *
     * @param b true to compress WebSocket messages
     * @return this builder
     */
    public Builder perMessageDeflate(boolean b) {
      this.perMessageDeflate = b;
      return this;
    }

    /**
     * gzip/deflate for HTTP responses over 1 kB when the client accepts it (default on, as the reference).
     *
     * @param b false to send every response uncompressed
     * @return this builder
     */
    public Builder httpCompression(boolean b) {
      this.httpCompression = b;
      return this;
    }

    /**
     * Serves HTTPS and WSS with this context (default: plain HTTP).
     *
     * @param ctx a server {@code SslContext}, or null for none
     * @return this builder
     */
    public Builder tls(SslContext ctx) {
      this.sslContext = ctx;
      return this;
    }

    /**
     * TLS from a PEM certificate chain and a PEM PKCS#8 private key.
     *
     * @param certChain the certificate chain, leaf first
     * @param privateKey the unencrypted private key
     * @return this builder
     * @throws SSLException when the files cannot be read as such
     */
    public Builder tls(File certChain, File privateKey) throws SSLException {
      this.sslContext = SslContextBuilder.forServer(certChain, privateKey).build();
      return this;
    }

    /**
     * The server, not started: creates its {@link SocketIoServer} (so its main namespace and adapter)
     * now; {@link ParleyServer#start()} binds the port.
     *
     * @return a new server
     */
    public ParleyServer build() {
      return new ParleyServer(this);
    }
  }
}
