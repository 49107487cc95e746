/**
 * The standalone binding: {@link io.parley.netty.ParleyServer} serves Parley on Netty (HTTP/1.1,
 * long-polling, WebSocket, TLS), with {@link io.parley.netty.ConnectionLimits} on open connections and
 * {@link io.parley.netty.TrustedProxies} for the client address behind reverse proxies.
 *
 * <pre>{@code
 * ParleyServer server = ParleyServer.builder().port(3000).build();
 * server.io().onConnection(socket -> socket.emit("hello"));
 * server.start();
 * }</pre>
 */
package io.parley.netty;
