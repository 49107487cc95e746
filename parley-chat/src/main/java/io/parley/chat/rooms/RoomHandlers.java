package io.parley.chat.rooms;

import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.events.BadInput;
import io.parley.chat.events.Events;
import io.parley.chat.events.Payloads;
import io.parley.chat.rooms.RoomRepository.Room;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.Socket;
import java.time.Duration;
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
 * Presence in the rooms of the main namespace: joining (with the room's history and a member
 * update), leaving, typing indicators, and the {@code left} updates of a socket that disconnects.
 * Every socket also joins its user's own room ({@link #userRoom}). Handlers run on the socket's
 * virtual thread and may block on the database.
 */
public final class RoomHandlers {
  /** The recent messages of a room as {@code room:history} sends them (the messages feature knows them). */
  @FunctionalInterface
  public interface History {
    List<Map<String, Object>> of(String roomId);
  }

  private final Namespace nsp;
  private final RoomRepository rooms;
  private final Events events;
  private final History history;
  private final ScheduledExecutorService scheduler;
  private final Duration typingTimeout;

  public RoomHandlers(Namespace nsp, RoomRepository rooms, Events events, History history,
      ScheduledExecutorService scheduler, Duration typingTimeout) {
    this.nsp = nsp;
    this.rooms = rooms;
    this.events = events;
    this.history = history;
    this.scheduler = scheduler;
    this.typingTimeout = typingTimeout;
  }

  /** The room every socket of a user joins. */
  public static String userRoom(long userId) {
    return "user:" + userId;
  }

  /** Refuses an event about a room the socket has not joined. */
  public static void requireJoined(Socket socket, String roomId) throws BadInput {
    if (!socket.rooms().contains(roomId)) {
      throw new BadInput("NOT_IN_ROOM", "join room " + roomId + " first");
    }
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
      socket.emit("room:history", Map.of("roomId", roomId, "messages", history.of(roomId)));
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
}
