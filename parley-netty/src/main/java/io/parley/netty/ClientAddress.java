package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client address of the HTTP request being handled on a connection: the TCP peer's, or, when
 * the peer is one of the server's {@link TrustedProxies}, the address its {@code X-Forwarded-For}
 * header names. Set by the server for each request before it is routed, so an {@link HttpRoute}
 * reads the same address the Engine.IO endpoint and the per-address limits use. (A
 * {@link io.parley.server.http.HttpRoute} gets it as {@code request.clientAddress()}.) Read it on
 * the channel's event loop, while the request is handled.
 */
public final class ClientAddress {
  private static final AttributeKey<InetAddress> KEY = AttributeKey.valueOf(ClientAddress.class, "client");

  private ClientAddress() {}

  /**
   * The client address of the request on this channel (the peer's before any request), or null when
   * not IP.
   *
   * @param channel the connection
   * @return the client address, or null
   */
  public static InetAddress of(Channel channel) {
    InetAddress a = channel.attr(KEY).get();
    return a != null ? a : peer(channel);
  }

  /**
   * {@link #of(Channel)} of the context's channel.
   *
   * @param ctx a handler context of the connection
   * @return the client address, or null when not IP
   */
  public static InetAddress of(ChannelHandlerContext ctx) {
    return of(ctx.channel());
  }

  /**
   * {@link #of} as text ({@code 203.0.113.7}, {@code 2001:db8::1}), or the channel's address when not IP.
   *
   * @param ctx a handler context of the connection
   * @return the address as text
   */
  public static String text(ChannelHandlerContext ctx) {
    InetAddress a = of(ctx.channel());
    return a != null ? a.getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
  }

  /** The TCP peer's address, or null when not IP. */
  static InetAddress peer(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
  }

  /** Resolves and records the client address of a request just read from {@code channel}. */
  static InetAddress resolve(Channel channel, HttpHeaders headers, TrustedProxies trusted) {
    InetAddress peer = peer(channel);
    InetAddress client = trusted.isEmpty() || peer == null ? peer
        : trusted.clientAddress(peer, headers.getAll("X-Forwarded-For"));
    channel.attr(KEY).set(client);
    return client;
  }
}
