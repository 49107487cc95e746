package io.parley.chat.notifications;

import io.parley.chat.db.Database;
import java.util.List;

/** Product watches and cart items; product ids are free strings. */
public final class ProductRepository {
  private final Database db;

  public ProductRepository(Database db) {
    this.db = db;
  }

  /** Returns false when the user already watched the product. */
  public boolean watch(long userId, String productId) {
    return db.insertIfAbsent("INSERT INTO watches (user_id, product_id, created_at) VALUES (?, ?, ?)",
        userId, productId, System.currentTimeMillis());
  }

  public boolean unwatch(long userId, String productId) {
    return db.update("DELETE FROM watches WHERE user_id = ? AND product_id = ?", userId, productId) > 0;
  }

  /** Returns false when the product already was in the user's cart. */
  public boolean addToCart(long userId, String productId) {
    return db.insertIfAbsent("INSERT INTO cart_items (user_id, product_id, created_at) VALUES (?, ?, ?)",
        userId, productId, System.currentTimeMillis());
  }

  public boolean removeFromCart(long userId, String productId) {
    return db.update("DELETE FROM cart_items WHERE user_id = ? AND product_id = ?", userId, productId) > 0;
  }

  public List<Long> watchers(String productId) {
    return db.query("SELECT user_id FROM watches WHERE product_id = ? ORDER BY user_id", rs -> rs.getLong(1), productId);
  }

  public List<Long> cartHolders(String productId) {
    return db.query("SELECT user_id FROM cart_items WHERE product_id = ? ORDER BY user_id", rs -> rs.getLong(1), productId);
  }
}
