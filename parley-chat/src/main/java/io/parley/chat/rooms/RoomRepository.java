package io.parley.chat.rooms;

import io.parley.chat.db.Database;
import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Rooms and their members (membership also carries each member's read position). */
public final class RoomRepository {
  public record Room(String id, String name, boolean isPrivate, Long createdBy) {}

  /** How far a member has read in a room. */
  public record ReadState(long userId, Long lastReadMessageId) {}

  private final Database db;

  public RoomRepository(Database db) {
    this.db = db;
  }

  private static Room map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long by = rs.getLong("created_by");
    return new Room(rs.getString("id"), rs.getString("name"), rs.getBoolean("is_private"), rs.wasNull() ? null : by);
  }

  /** Creates a room with its members (the creator included) in one transaction. */
  public Room create(String id, String name, boolean isPrivate, long createdBy, Collection<Long> members) {
    long now = System.currentTimeMillis();
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO rooms (id, name, is_private, created_by, created_at) VALUES (?, ?, ?, ?, ?)")) {
        Database.bind(ps, id, name, isPrivate, createdBy, now);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_members (room_id, user_id) VALUES (?, ?)")) {
        for (long member : members) {
          Database.bind(ps, id, member);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return new Room(id, name, isPrivate, createdBy);
    });
  }

  public Optional<Room> byId(String id) {
    return db.queryOne("SELECT id, name, is_private, created_by FROM rooms WHERE id = ?", RoomRepository::map, id);
  }

  /** Public rooms and the private rooms {@code userId} belongs to, by name. */
  public List<Room> visibleTo(long userId) {
    return db.query("SELECT id, name, is_private, created_by FROM rooms WHERE is_private = FALSE"
        + " OR id IN (SELECT room_id FROM room_members WHERE user_id = ?) ORDER BY name, id", RoomRepository::map, userId);
  }

  public boolean isMember(String roomId, long userId) {
    return db.count("SELECT COUNT(*) FROM room_members WHERE room_id = ? AND user_id = ?", roomId, userId) > 0;
  }

  /** Records {@code userId} as a member (no-op when already one). */
  public void addMember(String roomId, long userId) {
    db.insertIfAbsent("INSERT INTO room_members (room_id, user_id) VALUES (?, ?)", roomId, userId);
  }

  /** Moves the member's read position forward to {@code messageId} (never backwards). */
  public void markRead(String roomId, long userId, long messageId) {
    addMember(roomId, userId);
    db.update("UPDATE room_members SET last_read_message_id = ?, last_read_at = ? WHERE room_id = ? AND user_id = ?"
            + " AND (last_read_message_id IS NULL OR last_read_message_id < ?)",
        messageId, System.currentTimeMillis(), roomId, userId, messageId);
  }

  public List<ReadState> readStates(String roomId) {
    return db.query("SELECT user_id, last_read_message_id FROM room_members WHERE room_id = ?", rs -> {
      long read = rs.getLong("last_read_message_id");
      return new ReadState(rs.getLong("user_id"), rs.wasNull() ? null : read);
    }, roomId);
  }
}
