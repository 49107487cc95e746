package io.parley.chat.notifications;

import io.parley.chat.auth.Authenticator;
import io.parley.chat.events.BadInput;
import io.parley.chat.events.Events;
import io.parley.chat.events.Payloads;
import io.parley.chat.web.HttpError;
import io.parley.server.Socket;
import java.util.List;
import java.util.Map;

/**
 * The inbox over Socket.IO, on the main namespace and on {@code /notifications}:
 * {@code notifications:unread} on connect, and {@code notifications:read {ids} | {all: true}}.
 */
public final class NotificationHandlers {
  private final Events events;
  private final Notifier notifier;

  public NotificationHandlers(Events events, Notifier notifier) {
    this.events = events;
    this.notifier = notifier;
  }

  /** A socket of {@code /notifications}: joins its user's notifications room, then the inbox. */
  public void registerNotifications(Socket socket) {
    socket.join(Notifier.notificationsRoom(Authenticator.principal(socket).id()));
    registerInbox(socket);
  }

  /** {@code notifications:unread} on connect, and {@code notifications:read {ids} | {all: true}}. */
  public void registerInbox(Socket socket) {
    long userId = Authenticator.principal(socket).id();
    events.on(socket, "notifications:read", (args, reply) -> {
      List<Long> ids;
      try {
        ids = NotificationRoutes.readIds(Payloads.object(args));
      } catch (HttpError e) {
        throw BadInput.invalid(e.getMessage());
      }
      Map<String, Object> result = notifier.markRead(userId, ids);
      reply.ok("updated", result.get("updated"), "unread", result.get("unread"));
    });
    notifier.sendUnread(socket, userId);
  }
}
