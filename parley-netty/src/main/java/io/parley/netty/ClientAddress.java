package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client address of the HTTP request being handled on a connection: the TCP peer's, or, when
 * the peer is one of the server's {@link TrustedProxies}, the address its {@code X-Forwarded-For}
 * header names, resolved for each request before it is routed; routes read it as
 * {@link io.parley.server.http.HttpRequest#clientAddress()}.
 */
final class ClientAddress {
  private ClientAddress() {}

  /** The TCP peer's address, or null when not IP. */
  static InetAddress peer(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
  }

  /** The client address of a request just read from {@code channel}. */
  static InetAddress resolve(Channel channel, HttpHeaders headers, TrustedProxies trusted) {
    InetAddress peer = peer(channel);
    return trusted.isEmpty() || peer == null ? peer : trusted.clientAddress(peer, headers.getAll("X-Forwarded-For"));
  }
}
