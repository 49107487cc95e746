/**
 * The Socket.IO server API, mirroring socket.io's: {@link io.parley.server.SocketIoServer}
 * ({@code io}), {@link io.parley.server.Namespace}, {@link io.parley.server.Socket},
 * {@link io.parley.server.BroadcastOperator} ({@code to}, {@code except}, {@code emit},
 * {@code fetchSockets}, ...), middlewares and listeners, acks and options.
 *
 * <pre>{@code
 * io.use(socket -> authenticate(socket.handshake()));          // connection middleware
 * io.onConnection(socket -> {
 *   socket.join("lobby");
 *   socket.on("chat", (args, ack) -> {                         // on the socket's virtual thread
 *     socket.to("lobby").emit("chat", args.toArray());
 *     ack.send("ok");
 *   });
 * });
 * }</pre>
 *
 * <p>Threading: a socket's middlewares and listeners run on that socket's virtual thread, one at a
 * time in arrival order, and may block; emits and broadcast operations may be called from any
 * thread; futures complete on virtual threads. Event loops only parse and write. Transport-neutral:
 * a binding such as {@code io.parley.netty.ParleyServer} carries the connections.
 */
package io.parley.server;
