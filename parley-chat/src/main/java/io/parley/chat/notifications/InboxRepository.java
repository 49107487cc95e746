package io.parley.chat.notifications;

import io.parley.chat.db.Database;
import java.util.List;

/** The notification inbox: what each user was sent, and whether they have read it. */
public final class InboxRepository {
  /** One stored notification; {@code payload} is the JSON that was emitted. */
  public record Entry(long id, long userId, String event, String payload, long createdAt, Long readAt) {}

  private final Database db;

  public InboxRepository(Database db) {
    this.db = db;
  }

  private static Entry map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long read = rs.getLong("read_at");
    Long readAt = rs.wasNull() ? null : read; // wasNull() speaks of the last column read: ask right away
    return new Entry(rs.getLong("id"), rs.getLong("user_id"), rs.getString("event"), rs.getString("payload"),
        rs.getLong("created_at"), readAt);
  }

  public long add(long userId, String event, String payload, long createdAt) {
    return db.insert("INSERT INTO notifications (user_id, event, payload, created_at) VALUES (?, ?, ?, ?)",
        userId, event, payload, createdAt);
  }

  /** The newest {@code limit} entries of a user (only the unread ones when asked), newest first. */
  public List<Entry> list(long userId, boolean unreadOnly, int limit) {
    return db.query("SELECT id, user_id, event, payload, created_at, read_at FROM notifications WHERE user_id = ?"
        + (unreadOnly ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?",
        InboxRepository::map, userId, limit);
  }

  public long unreadCount(long userId) {
    return db.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userId);
  }

  /** Marks these entries of {@code userId} read; returns how many changed. */
  public int markRead(long userId, List<Long> ids) {
    int changed = 0;
    long now = System.currentTimeMillis();
    for (long id : ids) {
      changed += db.update("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", now, id, userId);
    }
    return changed;
  }

  public int markAllRead(long userId) {
    return db.update("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", System.currentTimeMillis(), userId);
  }
}
