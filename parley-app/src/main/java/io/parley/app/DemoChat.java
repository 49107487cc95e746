package io.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.server.SocketIoServer;
import java.time.Instant;
import java.util.Map;

/** The demo wiring of {@code parley serve} until the full application lands. */
final class DemoChat {
  private DemoChat() {}

  record ChatSend(String roomId, String content) {}

  static void install(SocketIoServer io) {
    io.onConnection(socket -> {
      socket.join("general");
      socket.on("chat:send", ChatSend.class, (msg, ack) -> {
        String room = msg.roomId() == null ? "general" : msg.roomId();
        if (!socket.rooms().contains(room)) {
          ack.send(Map.of("success", false, "error", "not in room " + room));
          return;
        }
        Map<String, Object> message = Map.of(
            "roomId", room, "content", msg.content(), "from", socket.id(), "createdAt", Instant.now().toString());
        io.to(room).emit("chat:message", message);
        ack.send(Map.of("success", true));
      });
      socket.on("room:join", (args, ack) -> {
        JsonNode room = args.get(0);
        if (room != null && room.isTextual()) {
          socket.join(room.textValue());
          ack.send(Map.of("success", true));
        }
      });
    });
  }
}
