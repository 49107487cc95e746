package io.parley.chat.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.events.BadInput;
import io.parley.chat.events.Events;
import io.parley.chat.messages.MessageHandlers;
import io.parley.server.Namespace;
import io.parley.server.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/** The events of the {@code /admin} namespace (admins only): {@code broadcast:all} announces to every admin. */
public final class AdminHandlers {
  private final Namespace adminNsp;
  private final Events events;

  public AdminHandlers(Namespace adminNsp, Events events) {
    this.adminNsp = adminNsp;
    this.events = events;
  }

  public void register(Socket socket) {
    Principal me = Authenticator.principal(socket);
    events.on(socket, "broadcast:all", (args, reply) -> {
      JsonNode a = args.get(0);
      JsonNode text = a != null && a.isObject() ? a.get("message") : a;
      if (text == null || !text.isTextual() || text.textValue().isBlank()
          || text.textValue().length() > MessageHandlers.MAX_TEXT) {
        throw BadInput.invalid("message must be a string of 1 to " + MessageHandlers.MAX_TEXT + " characters");
      }
      Map<String, Object> announcement = new LinkedHashMap<>();
      announcement.put("message", text.textValue().strip());
      announcement.put("from", Map.of("id", me.id(), "name", me.username()));
      announcement.put("timestamp", System.currentTimeMillis());
      adminNsp.emit("admin:announcement", announcement);
    });
  }
}
