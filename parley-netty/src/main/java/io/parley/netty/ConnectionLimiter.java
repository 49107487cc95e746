package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections, in total and per address, and closes those over {@link ConnectionLimits}.
 * A connection from a trusted proxy counts, per address, against the client its first request is
 * forwarded for ({@link #admitForwarded}) instead of the proxy.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final AttributeKey<Boolean> FORWARDED = AttributeKey.valueOf(ConnectionLimiter.class, "forwarded");
  private final ConnectionLimits limits;
  private final TrustedProxies trusted;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private long refused;

  ConnectionLimiter(ConnectionLimits limits, TrustedProxies trusted) {
    this.limits = limits;
    this.trusted = trusted;
  }

  int open() {
    return total.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress addr = ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    boolean counted = addr != null && (limits.limitLoopback() || !addr.isLoopbackAddress()) && !trusted.trusts(addr);
    int all = total.incrementAndGet();
    int mine = counted ? count(ctx.channel(), addr) : 0;
    ctx.channel().closeFuture().addListener(f -> total.decrementAndGet());
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

  /**
   * Counts a connection from a trusted proxy against {@code client}, the address its request is
   * forwarded for, once per connection; false when that address is over its limit (the caller
   * refuses the request and closes the connection).
   */
  boolean admitForwarded(Channel ch, InetAddress client) {
    InetAddress peer = ClientAddress.peer(ch);
    if (client == null || client.equals(peer) || !trusted.trusts(peer)
        || (!limits.limitLoopback() && client.isLoopbackAddress())
        || ch.attr(FORWARDED).setIfAbsent(Boolean.TRUE) != null) {
      return true;
    }
    int mine = count(ch, client);
    if (mine > limits.maxConnectionsPerIp()) {
      if (refused++ % 1000 == 0) {
        log.warn("refusing a connection forwarded by {} for {}: {} from that address (max {})",
            peer, client, mine, limits.maxConnectionsPerIp());
      }
      return false;
    }
    return true;
  }

  private int count(Channel ch, InetAddress addr) {
    int n = perAddress.computeIfAbsent(addr, a -> new AtomicInteger()).incrementAndGet();
    ch.closeFuture().addListener(f -> perAddress.computeIfPresent(addr, (a, c) -> c.decrementAndGet() <= 0 ? null : c));
    return n;
  }
}
