package io.parley.spring;

import io.parley.server.SocketIoServer;

/**
 * A bean that sets up the Socket.IO server (namespaces, middlewares, connection listeners) once
 * the application context is ready, like Spring MVC's {@code WebMvcConfigurer}.
 *
 * <pre>{@code
 * @Bean
 * SocketIoConfigurer chat(MessageRepository messages) {
 *   return io -> io.onConnection(socket ->
 *       socket.on("chat:send", (args, ack) -> ack.send(messages.save(args.get(0).asText()))));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SocketIoConfigurer {
  void configure(SocketIoServer io);
}
