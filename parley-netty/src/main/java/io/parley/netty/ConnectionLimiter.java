package io.parley.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts open connections, in total and per address, and closes those over {@link ConnectionLimits}. */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
  private final ConnectionLimits limits;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private long refused;

  ConnectionLimiter(ConnectionLimits limits) {
    this.limits = limits;
  }

  int open() {
    return total.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress addr = ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    boolean counted = addr != null && (limits.limitLoopback() || !addr.isLoopbackAddress());
    int all = total.incrementAndGet();
    int mine = counted ? perAddress.computeIfAbsent(addr, a -> new AtomicInteger()).incrementAndGet() : 0;
    ctx.channel().closeFuture().addListener(f -> {
      total.decrementAndGet();
      if (counted) {
        perAddress.computeIfPresent(addr, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
      }
    });
    if (all > limits.maxConnections() || mine > limits.maxConnectionsPerIp()) {
      if (refused++ % 1000 == 0) {
        log.warn("refusing a connection from {}: {} open in total (max {}), {} from that address (max {})",
            addr, all, limits.maxConnections(), mine, limits.maxConnectionsPerIp());
      }
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this);
    super.channelActive(ctx);
  }
}
