package io.parley.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles an event from clients, on every socket of a namespace, like
 * {@code socket.on("chat:send", ...)} in each connection listener. The method belongs to any
 * singleton bean; it runs on the socket's virtual thread, one event at a time, and may block.
 *
 * <p>Its parameters are filled by type: a {@link io.parley.server.Socket} parameter gets the
 * socket, an {@link io.parley.server.Ack} the event's acknowledgement, an
 * {@link io.parley.server.Args} every argument as sent. Every other parameter takes the next
 * argument of the event, in order, converted by the server's Jackson mapper to the parameter's
 * type (generics included: {@code List<Message>}); a missing argument is {@code null}. A method
 * without an {@code Ack} parameter may return a value: when the client asked for an
 * acknowledgement, it is sent as the acknowledgement's argument.
 *
 * <pre>{@code
 * @Component
 * class Chat {
 *   record Message(String room, String text) {}
 *
 *   @OnEvent("chat:send")
 *   Map<String, Object> send(Socket socket, Message message) {
 *     socket.to(message.room()).emit("chat:message", message);
 *     return Map.of("ok", true);          // the client's ack callback gets {"ok": true}
 *   }
 *
 *   @OnEvent(value = "typing", namespace = "/chat")
 *   void typing(Socket socket, String room, Ack ack) {
 *     socket.to(room).emit("typing", socket.id());
 *     ack.send();
 *   }
 * }
 * }</pre>
 *
 * An exception thrown by the method goes to the socket's {@code onError} listeners (logged when
 * there are none); the socket stays connected.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {
  /**
   * The event name.
   *
   * @return the name, as the client emits it
   */
  String value();

  /**
   * The namespace whose sockets the handler listens on.
   *
   * @return the namespace name ({@code /} by default)
   */
  String namespace() default "/";
}
