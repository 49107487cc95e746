package io.parley.chat.auth;

import io.parley.chat.db.Database;
import java.util.Optional;

/** Accounts. */
public final class UserRepository {
  public record User(long id, String username, String passwordHash, String role, boolean active) {}

  private static final String COLUMNS = "id, username, password_hash, role, active";
  private final Database db;

  public UserRepository(Database db) {
    this.db = db;
  }

  private static User map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new User(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
        rs.getString("role"), rs.getBoolean("active"));
  }

  /** Creates a user; empty when the name is taken. */
  public Optional<User> create(String username, String passwordHash, String role) {
    try {
      long id = db.insert("INSERT INTO users (username, password_hash, role, active, created_at) VALUES (?, ?, ?, TRUE, ?)",
          username, passwordHash, role, System.currentTimeMillis());
      return Optional.of(new User(id, username, passwordHash, role, true));
    } catch (Database.DataException e) {
      if (e.isUniqueViolation()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public Optional<User> byId(long id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::map, id);
  }

  public Optional<User> byName(String username) {
    return db.queryOne("SELECT " + COLUMNS + " FROM users WHERE username = ?", UserRepository::map, username);
  }

  public void setActive(long id, boolean active) {
    db.update("UPDATE users SET active = ? WHERE id = ?", active, id);
  }

  /** Creates or updates {@code username} with this hash, role and active state. */
  public User upsert(String username, String passwordHash, String role) {
    Optional<User> created = create(username, passwordHash, role);
    if (created.isPresent()) {
      return created.get();
    }
    db.update("UPDATE users SET password_hash = ?, role = ?, active = TRUE WHERE username = ?", passwordHash, role, username);
    return byName(username).orElseThrow();
  }
}
