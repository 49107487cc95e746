package io.parley.chat.messages;

import io.parley.chat.db.Database;
import java.util.List;
import java.util.Optional;

/** Chat messages. */
public final class MessageRepository {
  /** The message replied to, as shown with a reply. */
  public record Reply(long id, String text, long senderId) {}

  public record Message(long id, String roomId, long senderId, String senderName, String text, Reply replyTo, long createdAt) {}

  private static final String SELECT = "SELECT m.id, m.room_id, m.sender_id, u.username, m.text, m.created_at,"
      + " r.id AS reply_id, r.text AS reply_text, r.sender_id AS reply_sender_id"
      + " FROM messages m JOIN users u ON u.id = m.sender_id LEFT JOIN messages r ON r.id = m.reply_to_id";
  private final Database db;

  public MessageRepository(Database db) {
    this.db = db;
  }

  private static Message map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long replyId = rs.getLong("reply_id");
    Reply reply = rs.wasNull() ? null : new Reply(replyId, rs.getString("reply_text"), rs.getLong("reply_sender_id"));
    return new Message(rs.getLong("id"), rs.getString("room_id"), rs.getLong("sender_id"), rs.getString("username"),
        rs.getString("text"), reply, rs.getLong("created_at"));
  }

  /** Stores a message; {@code replyTo}, when given, must be a message of the same room. */
  public Message create(String roomId, long senderId, String senderName, String text, Reply replyTo) {
    return create(roomId, senderId, senderName, text, replyTo, null);
  }

  /**
   * Stores a message with the sender's idempotency key ({@code clientMsgId}, may be null). A second
   * message of the same sender with the same key fails with a unique violation
   * ({@link Database.DataException#isUniqueViolation}).
   */
  public Message create(String roomId, long senderId, String senderName, String text, Reply replyTo,
      String clientMsgId) {
    long now = System.currentTimeMillis();
    long id = db.insert("INSERT INTO messages (room_id, sender_id, text, reply_to_id, created_at, client_msg_id)"
        + " VALUES (?, ?, ?, ?, ?, ?)", roomId, senderId, text, replyTo == null ? null : replyTo.id(), now, clientMsgId);
    return new Message(id, roomId, senderId, senderName, text, replyTo, now);
  }

  /** The message a sender created with this idempotency key, if any. */
  public Optional<Message> bySenderAndClientId(long senderId, String clientMsgId) {
    return db.queryOne(SELECT + " WHERE m.sender_id = ? AND m.client_msg_id = ?", MessageRepository::map,
        senderId, clientMsgId);
  }

  /** Up to {@code limit} messages of a room after the message {@code afterId}, oldest first. */
  public List<Message> after(String roomId, long afterId, int limit) {
    return db.query(SELECT + " WHERE m.room_id = ? AND m.id > ? ORDER BY m.id LIMIT ?", MessageRepository::map,
        roomId, afterId, limit);
  }

  public Optional<Message> byId(long id) {
    return db.queryOne(SELECT + " WHERE m.id = ?", MessageRepository::map, id);
  }

  /** The last {@code limit} messages of a room, oldest first. */
  public List<Message> lastOf(String roomId, int limit) {
    List<Message> newestFirst = db.query(SELECT + " WHERE m.room_id = ? ORDER BY m.id DESC LIMIT ?",
        MessageRepository::map, roomId, limit);
    return newestFirst.reversed();
  }
}
