package io.parley.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many WebSocket Socket.IO clients at a given rate on a few event loop threads. Against a
 * loopback target, source addresses are spread over 127.0.0.x so one target port can take more
 * connections than one source address has ephemeral ports.
 */
final class ClientPool implements AutoCloseable {
  /**
   * Connections per source address: under half of Linux's default ephemeral range (32768-60999),
   * because connect() takes even ports first and searches the odd ones far more slowly; at 20,000
   * per address the generator's own connect() calls stalled past about 14,000 connections, and
   * its clients then sent their first request seconds late (connect p90 of 3 s for every server).
   */
  static final int PER_SOURCE_ADDRESS = 10_000;

  private final URI wsUri;
  private final InetSocketAddress remote;
  private final boolean loopback;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final List<BenchClient> clients = Collections.synchronizedList(new ArrayList<>());

  ClientPool(URI url, int threads) throws UnknownHostException {
    String scheme = url.getScheme().replace("http", "ws");
    int port = url.getPort() > 0 ? url.getPort() : ("wss".equals(scheme) ? 443 : 80);
    String path = url.getPath() == null || url.getPath().isEmpty() || "/".equals(url.getPath())
        ? "/socket.io/" : url.getPath();
    this.wsUri = URI.create(scheme + "://" + url.getHost() + ":" + port + path + "?EIO=4&transport=websocket");
    InetAddress addr = InetAddress.getByName(url.getHost());
    this.remote = new InetSocketAddress(addr, port);
    this.loopback = addr.isLoopbackAddress() && addr.getAddress().length == 4;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, factory);
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        // Source ports: reuse ones in TIME_WAIT from earlier runs, and (epoll) pick the port at
        // connect time so one source address can serve several targets.
        .option(ChannelOption.SO_REUSEADDR, true)
        .remoteAddress(remote);
    if (epoll) {
      bootstrap.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
  }

  EventLoopGroup group() {
    return group;
  }

  List<BenchClient> clients() {
    synchronized (clients) {
      return List.copyOf(clients);
    }
  }

  private InetSocketAddress source(int index) {
    if (!loopback) {
      return null;
    }
    int host = 1 + index / PER_SOURCE_ADDRESS;
    return new InetSocketAddress("127.0.0." + Math.min(host, 254), 0);
  }

  /** Starts one client; the future completes when its channel is open (not yet connected to "/"). */
  CompletableFuture<BenchClient> open(int index, BenchClient.Listener listener) {
    BenchClient client = new BenchClient(index, listener);
    client.startedAt = System.nanoTime();
    WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(wsUri)
        .handleCloseFrames(true)
        .dropPongFrames(true)
        .maxFramePayloadLength(16 * 1024 * 1024)
        .handshakeTimeoutMillis(10_000)
        .build();
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
            new WebSocketClientProtocolHandler(cfg), client);
      }
    });
    CompletableFuture<BenchClient> f = new CompletableFuture<>();
    InetSocketAddress src = source(index);
    (src == null ? b.connect() : b.connect(remote, src)).addListener(cf -> {
      if (cf.isSuccess()) {
        clients.add(client);
        f.complete(client);
      } else {
        f.completeExceptionally(cf.cause());
      }
    });
    return f;
  }

  /**
   * Opens {@code n} clients at {@code rate} per second (0: as fast as possible, 200 at a time in
   * flight). Completes when every attempt finished; failures are counted in {@code failed}.
   */
  CompletableFuture<Void> openMany(int from, int n, double rate, BenchClient.Listener listener, AtomicInteger failed) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    if (n == 0) {
      done.complete(null);
      return done;
    }
    Runnable one = () -> {
      int i = started.getAndIncrement();
      if (i >= n) {
        return;
      }
      open(from + i, listener).whenComplete((c, err) -> {
        if (err != null) {
          failed.incrementAndGet();
        }
        if (finished.incrementAndGet() == n) {
          done.complete(null);
        }
      });
    };
    long start = System.nanoTime();
    var ticker = group.next().scheduleAtFixedRate(() -> {
      double elapsed = (System.nanoTime() - start) / 1e9;
      long due = rate <= 0 ? Math.min(n, started.get() + 200 - (started.get() - finished.get()))
          : Math.min(n, (long) Math.ceil(elapsed * rate));
      while (started.get() < due) {
        one.run();
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    done.whenComplete((v, t) -> ticker.cancel(false));
    return done;
  }

  @Override
  public void close() {
    for (BenchClient c : clients()) {
      Channel ch = c.channel();
      if (ch != null) {
        ch.close();
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
