package io.parley.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once a socket of a namespace is disconnected and out of its rooms, like
 * {@code socket.on("disconnect", reason => ...)}, on the socket's virtual thread. The method of
 * any singleton bean; its parameters, in any order: a {@link io.parley.server.Socket}, a
 * {@link io.parley.server.DisconnectReason}.
 *
 * <pre>{@code
 * @OnDisconnect
 * void left(Socket socket, DisconnectReason reason) {
 *   log.info("{} left: {}", socket.id(), reason);   // "server shutting down" when the application stops
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {
  /**
   * The namespace.
   *
   * @return the namespace name ({@code /} by default)
   */
  String namespace() default "/";
}
