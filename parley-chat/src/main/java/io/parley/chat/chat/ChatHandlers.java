package io.parley.chat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.db.MessageRepository;
import io.parley.chat.db.MessageRepository.Message;
import io.parley.chat.db.RoomRepository;
import io.parley.chat.db.RoomRepository.ReadState;
import io.parley.chat.db.RoomRepository.Room;
import io.parley.chat.db.UserRepository;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chat events of the main namespace: rooms with history and member updates, messages,
 * read receipts, typing indicators and direct messages. Handlers run on the socket's virtual
 * thread and may block on the database.
 */
public final class ChatHandlers {
  public static final int HISTORY_SIZE = 50;
  public static final int MAX_TEXT = 2000;
  /** The most messages one {@code chat:sync} returns. */
  public static final int SYNC_LIMIT = 200;

  private final Namespace nsp;
  private final RoomRepository rooms;
  private final MessageRepository messages;
  private final UserRepository users;
  private final Events events;
  private final ScheduledExecutorService scheduler;
  private final Duration typingTimeout;

  public ChatHandlers(Namespace nsp, RoomRepository rooms, MessageRepository messages, UserRepository users,
      Events events, ScheduledExecutorService scheduler, Duration typingTimeout) {
    this.nsp = nsp;
    this.rooms = rooms;
    this.messages = messages;
    this.users = users;
    this.events = events;
    this.scheduler = scheduler;
    this.typingTimeout = typingTimeout;
  }

  /** The room every socket of a user joins. */
  public static String userRoom(long userId) {
    return "user:" + userId;
  }

  public void register(Socket socket) {
    Principal me = Authenticator.principal(socket);
    socket.join(userRoom(me.id()));
    Map<String, ScheduledFuture<?>> typing = new ConcurrentHashMap<>();

    events.on(socket, "room:join", (args, reply) -> {
      String roomId = Payloads.roomId(args);
      Room room = rooms.byId(roomId).orElseThrow(() -> new BadInput("ROOM_NOT_FOUND", "no such room: " + roomId));
      if (room.isPrivate() && !rooms.isMember(roomId, me.id())) {
        throw new BadInput("FORBIDDEN", "not a member of this private room");
      }
      rooms.addMember(roomId, me.id());
      boolean already = socket.rooms().contains(roomId);
      socket.join(roomId);
      if (!already) {
        nsp.to(roomId).emit("room:member-update", memberUpdate("joined", me.id(), roomId, null));
      }
      socket.emit("room:history", Map.of("roomId", roomId, "messages", history(roomId)));
      reply.ok("roomId", roomId);
    });

    events.on(socket, "room:leave", (args, reply) -> {
      String roomId = Payloads.roomId(args);
      if (!socket.rooms().contains(roomId)) {
        throw new BadInput("NOT_IN_ROOM", "not in room " + roomId);
      }
      stopTyping(socket, me, typing, roomId);
      socket.leave(roomId);
      nsp.to(roomId).emit("room:member-update", memberUpdate("left", me.id(), roomId, null));
      reply.ok("roomId", roomId);
    });

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
      } catch (io.parley.chat.db.Database.DataException e) {
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

    events.on(socket, "chat:typing-start", (args, reply) -> {
      String roomId = Payloads.roomId(args);
      requireJoined(socket, roomId);
      ScheduledFuture<?> previous = typing.put(roomId, scheduler.schedule(
          () -> stopTyping(socket, me, typing, roomId), typingTimeout.toMillis(), TimeUnit.MILLISECONDS));
      if (previous != null) {
        previous.cancel(false);
      } else {
        socket.to(roomId).emit("chat:user-typing", Map.of("userId", me.id(), "username", me.username(), "roomId", roomId));
      }
    });

    events.on(socket, "chat:typing-stop", (args, reply) -> {
      String roomId = Payloads.roomId(args);
      requireJoined(socket, roomId);
      stopTyping(socket, me, typing, roomId);
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
      nsp.to(userRoom(targetId)).emit("chat:direct", Map.of(
          "fromUserId", me.id(), "fromUsername", me.username(), "message", message, "timestamp", System.currentTimeMillis()));
    });

    Set<String> roomsAtDisconnect = ConcurrentHashMap.newKeySet();
    socket.onDisconnecting(reason -> {
      for (String r : socket.rooms()) {
        if (!r.equals(socket.id()) && !r.startsWith("user:")) {
          roomsAtDisconnect.add(r);
        }
      }
    });
    socket.onDisconnect(reason -> {
      for (String roomId : typing.keySet()) {
        stopTyping(socket, me, typing, roomId);
      }
      for (String roomId : roomsAtDisconnect) {
        nsp.to(roomId).emit("room:member-update", memberUpdate("left", me.id(), roomId, "disconnect"));
      }
    });
  }

  private void stopTyping(Socket socket, Principal me, Map<String, ScheduledFuture<?>> typing, String roomId) {
    ScheduledFuture<?> timer = typing.remove(roomId);
    if (timer != null) {
      timer.cancel(false);
      nsp.to(roomId).except(socket.id()).emit("chat:user-stopped-typing",
          Map.of("userId", me.id(), "username", me.username(), "roomId", roomId));
    }
  }

  private static void requireJoined(Socket socket, String roomId) throws BadInput {
    if (!socket.rooms().contains(roomId)) {
      throw new BadInput("NOT_IN_ROOM", "join room " + roomId + " first");
    }
  }

  private Map<String, Object> memberUpdate(String type, long userId, String roomId, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("userId", userId);
    m.put("roomId", roomId);
    m.put("memberCount", memberCount(roomId));
    if (reason != null) {
      m.put("reason", reason);
    }
    return m;
  }

  /** Distinct users with a socket in the room, across the cluster. */
  private int memberCount(String roomId) {
    try {
      Set<Object> ids = new HashSet<>();
      for (RemoteSocket s : nsp.in(roomId).fetchSockets().get(5, TimeUnit.SECONDS)) {
        ids.add(s.data().get(Authenticator.USER_ID));
      }
      return ids.size();
    } catch (Exception e) {
      return -1;
    }
  }

  private List<Map<String, Object>> history(String roomId) {
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
