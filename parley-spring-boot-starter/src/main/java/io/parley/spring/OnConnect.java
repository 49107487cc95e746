package io.parley.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each socket joining a namespace, like {@code io.on("connection", socket => ...)}, on
 * the socket's virtual thread before the client sees it connected (so it may join rooms or emit).
 * The method of any singleton bean; its parameters: none, or a {@link io.parley.server.Socket}.
 *
 * <pre>{@code
 * @OnConnect
 * void welcome(Socket socket) {
 *   socket.join("lobby");
 *   socket.emit("welcome", socket.id());
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {
  /**
   * The namespace.
   *
   * @return the namespace name ({@code /} by default)
   */
  String namespace() default "/";
}
