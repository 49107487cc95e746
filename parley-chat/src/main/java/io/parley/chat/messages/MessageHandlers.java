package io.parley.chat.messages;

import static io.parley.chat.rooms.RoomHandlers.requireJoined;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.auth.UserRepository;
import io.parley.chat.db.Database;
import io.parley.chat.events.BadInput;
import io.parley.chat.events.Events;
import io.parley.chat.events.Payloads;
import io.parley.chat.messages.MessageRepository.Message;
import io.parley.chat.rooms.RoomHandlers;
import io.parley.chat.rooms.RoomRepository;
import io.parley.chat.rooms.RoomRepository.ReadState;
import io.parley.server.Namespace;
import io.parley.server.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message events of the main namespace: sending (idempotent with a client key), catching up
 * after a lost connection, read receipts and direct messages; and the history a joined room shows.
 * Handlers run on the socket's virtual thread and may block on the database.
 */
public final class MessageHandlers {
  public static final int HISTORY_SIZE = 50;
  public static final int MAX_TEXT = 2000;
  /** The most messages one {@code chat:sync} returns. */
  public static final int SYNC_LIMIT = 200;

  private final Namespace nsp;
  private final RoomRepository rooms;
  private final MessageRepository messages;
  private final UserRepository users;
  private final Events events;

  public MessageHandlers(Namespace nsp, RoomRepository rooms, MessageRepository messages, UserRepository users,
      Events events) {
    this.nsp = nsp;
    this.rooms = rooms;
    this.messages = messages;
    this.users = users;
    this.events = events;
  }

  public void register(Socket socket) {
    Principal me = Authenticator.principal(socket);

    events.on(socket, "chat:send", (args, reply) -> {
      JsonNode p = Payloads.object(args);
      String roomId = Payloads.string(p, "roomId", Payloads.MAX_ID);
      JsonNode textNode = p.get("text");
      if (textNode == null || !textNode.isTextual()) {
        throw BadInput.invalid("text (string) is required");
      }
      String text = textNode.textValue().strip();
      if (text.isEmpty() || text.length() > MAX_TEXT) {
        throw BadInput.invalid("text must be 1 to " + MAX_TEXT + " characters");
      }
      Long replyToId = Payloads.optionalId(p, "replyToId");
      String clientMsgId = p.hasNonNull("clientMsgId") ? Payloads.string(p, "clientMsgId", Payloads.MAX_ID) : null;
      requireJoined(socket, roomId);
      if (clientMsgId != null) {
        // A retry (its ack was lost with the connection): the message exists, nothing is broadcast again.
        Message done = messages.bySenderAndClientId(me.id(), clientMsgId).orElse(null);
        if (done != null) {
          reply.ok("messageId", done.id(), "duplicate", true);
          return;
        }
      }
      MessageRepository.Reply replyTo = null;
      if (replyToId != null) {
        Message original = messages.byId(replyToId).filter(m -> m.roomId().equals(roomId))
            .orElseThrow(() -> new BadInput("MESSAGE_NOT_FOUND", "replyToId is not a message of this room"));
        replyTo = new MessageRepository.Reply(original.id(), original.text(), original.senderId());
      }
      Message m;
      try {
        m = messages.create(roomId, me.id(), me.username(), text, replyTo, clientMsgId);
      } catch (Database.DataException e) {
        Message raced = clientMsgId == null || !e.isUniqueViolation() ? null
            : messages.bySenderAndClientId(me.id(), clientMsgId).orElse(null);
        if (raced == null) {
          throw e;
        }
        reply.ok("messageId", raced.id(), "duplicate", true); // the same retry, sent twice at once
        return;
      }
      rooms.markRead(roomId, me.id(), m.id());
      reply.ok("messageId", m.id());
      nsp.to(roomId).emit("chat:message", view(m, List.of(me.id())));
    });

    // After a reconnection that could not be recovered (socket.recovered false): the messages of a
    // room after the last one the client has, to fill the gap from the database.
    events.on(socket, "chat:sync", (args, reply) -> {
      JsonNode p = Payloads.object(args);
      String roomId = Payloads.string(p, "roomId", Payloads.MAX_ID);
      JsonNode after = p.get("afterId");
      long afterId = after == null || after.isNull() || (after.isIntegralNumber() && after.longValue() == 0)
          ? 0 : Payloads.id(p, "afterId");
      requireJoined(socket, roomId);
      List<Message> found = messages.after(roomId, afterId, SYNC_LIMIT + 1);
      boolean more = found.size() > SYNC_LIMIT;
      List<Map<String, Object>> views = new ArrayList<>();
      for (Message m : more ? found.subList(0, SYNC_LIMIT) : found) {
        views.add(view(m, List.of()));
      }
      reply.ok("roomId", roomId, "messages", views, "more", more);
    });

    events.on(socket, "chat:read", (args, reply) -> {
      JsonNode p = Payloads.object(args);
      String roomId = Payloads.string(p, "roomId", Payloads.MAX_ID);
      long lastRead = Payloads.id(p, "lastReadMessageId");
      requireJoined(socket, roomId);
      if (messages.byId(lastRead).filter(m -> m.roomId().equals(roomId)).isEmpty()) {
        throw new BadInput("MESSAGE_NOT_FOUND", "lastReadMessageId is not a message of this room");
      }
      rooms.markRead(roomId, me.id(), lastRead);
      socket.to(roomId).emit("chat:read-receipt", Map.of(
          "userId", me.id(), "username", me.username(), "roomId", roomId, "lastReadMessageId", lastRead, "timestamp", System.currentTimeMillis()));
    });

    events.on(socket, "user:direct-message", (args, reply) -> {
      JsonNode p = Payloads.object(args);
      long targetId = Payloads.id(p, "targetId");
      JsonNode messageNode = p.get("message");
      if (messageNode == null || !messageNode.isTextual()) {
        throw BadInput.invalid("message (string) is required");
      }
      String message = messageNode.textValue().strip();
      if (message.isEmpty() || message.length() > MAX_TEXT) {
        throw BadInput.invalid("message must be 1 to " + MAX_TEXT + " characters");
      }
      if (users.byId(targetId).filter(UserRepository.User::active).isEmpty()) {
        throw new BadInput("USER_NOT_FOUND", "no such user: " + targetId);
      }
      nsp.to(RoomHandlers.userRoom(targetId)).emit("chat:direct", Map.of(
          "fromUserId", me.id(), "fromUsername", me.username(), "message", message, "timestamp", System.currentTimeMillis()));
    });
  }

  /** The last {@link #HISTORY_SIZE} messages of a room, oldest first, each with the members who read it. */
  public List<Map<String, Object>> history(String roomId) {
    List<Message> last = messages.lastOf(roomId, HISTORY_SIZE);
    List<ReadState> reads = rooms.readStates(roomId);
    List<Map<String, Object>> out = new ArrayList<>(last.size());
    for (Message m : last) {
      List<Long> readBy = new ArrayList<>();
      for (ReadState r : reads) {
        if (r.lastReadMessageId() != null && r.lastReadMessageId() >= m.id()) {
          readBy.add(r.userId());
        }
      }
      out.add(view(m, readBy));
    }
    return out;
  }

  /** A message as {@code chat:message} and {@code room:history} show it. */
  static Map<String, Object> view(Message m, List<Long> readBy) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", m.id());
    v.put("roomId", m.roomId());
    v.put("sender", Map.of("id", m.senderId(), "name", m.senderName()));
    v.put("text", m.text());
    if (m.replyTo() != null) {
      v.put("replyTo", Map.of("id", m.replyTo().id(), "text", m.replyTo().text(), "senderId", m.replyTo().senderId()));
    }
    v.put("timestamp", m.createdAt());
    v.put("readBy", readBy);
    return v;
  }
}
