package io.parley.chat.rooms;

import static io.parley.chat.web.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.auth.UserRepository;
import io.parley.chat.web.HttpError;
import io.parley.chat.web.Request;
import io.parley.chat.web.Response;
import io.parley.chat.web.Router;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/rooms} (the rooms the caller may see) and {@code POST /api/rooms} (a new room with its members). */
public final class RoomRoutes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RoomRepository rooms;
  private final UserRepository users;
  private final Authenticator auth;

  public RoomRoutes(RoomRepository rooms, UserRepository users, Authenticator auth) {
    this.rooms = rooms;
    this.users = users;
    this.auth = auth;
  }

  public void mount(Router r) {
    r.get("/api/rooms", this::listRooms);
    r.post("/api/rooms", this::createRoom);
  }

  private Response listRooms(Request req) {
    Principal me = auth.caller(req);
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoomRepository.Room room : rooms.visibleTo(me.id())) {
      out.add(Map.of("id", room.id(), "name", room.name(), "isPrivate", room.isPrivate()));
    }
    return Response.json(200, Map.of("rooms", out));
  }

  private Response createRoom(Request req) {
    Principal me = auth.caller(req);
    JsonNode body = req.json();
    String name = text(body, "name", 100).strip();
    if (name.isEmpty()) {
      throw HttpError.badRequest("name must not be blank");
    }
    JsonNode priv = body.get("isPrivate");
    if (priv != null && !priv.isNull() && !priv.isBoolean()) {
      throw HttpError.badRequest("isPrivate must be a boolean");
    }
    Set<Long> members = new LinkedHashSet<>();
    members.add(me.id());
    JsonNode list = body.get("members");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.size() > 500) {
        throw HttpError.badRequest("members must be an array of at most 500 user ids");
      }
      for (JsonNode m : list) {
        if (!m.isIntegralNumber() || !m.canConvertToLong()) {
          throw HttpError.badRequest("members must be user ids (integers)");
        }
        if (users.byId(m.longValue()).isEmpty()) {
          throw HttpError.badRequest("unknown member: " + m.longValue());
        }
        members.add(m.longValue());
      }
    }
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    String roomId = "room-" + HexFormat.of().formatHex(b);
    rooms.create(roomId, name, priv != null && priv.asBoolean(), me.id(), members);
    return Response.json(201, Map.of("roomId", roomId));
  }
}
