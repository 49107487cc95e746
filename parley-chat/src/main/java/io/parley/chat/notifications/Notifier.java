package io.parley.chat.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.chat.auth.UserRepository;
import io.parley.chat.metrics.Metrics;
import io.parley.chat.rooms.RoomHandlers;
import io.parley.server.Namespace;
import io.parley.server.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stock, price and job notifications. Each one is stored in the recipient's inbox first (so a user
 * who is offline finds it later; the stored id is sent as {@code notificationId}), then emitted to
 * {@code user:<id>} on the main namespace and to {@code user:<id>:notifications} on
 * {@code /notifications}. Job progress is stored only when the job ends (completed or failed);
 * intermediate progress is live only. Blocks on the database.
 */
public final class Notifier {
  public static final int LOW_STOCK = 10;
  public static final int INBOX_PAGE = 50;

  private final Namespace main;
  private final Namespace notifications;
  private final Namespace admin;
  private final ProductRepository products;
  private final UserRepository users;
  private final InboxRepository inbox;
  private final ObjectMapper mapper;
  private final Metrics metrics;

  public Notifier(Namespace main, Namespace notifications, Namespace admin, ProductRepository products,
      UserRepository users, InboxRepository inbox, ObjectMapper mapper, Metrics metrics) {
    this.main = main;
    this.notifications = notifications;
    this.admin = admin;
    this.products = products;
    this.users = users;
    this.inbox = inbox;
    this.mapper = mapper;
    this.metrics = metrics;
  }

  /** STOCK_UPDATE to watchers, STOCK_SOLD_OUT to cart holders at 0, admin:stock-alert to /admin. Returns how many users were notified. */
  public int stockChanged(String productId, long stock) {
    long now = System.currentTimeMillis();
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("type", "STOCK_UPDATE");
    update.put("productId", productId);
    update.put("stock", stock);
    update.put("isLowStock", stock < LOW_STOCK);
    update.put("timestamp", now);
    int sent = 0;
    for (long userId : products.watchers(productId)) {
      deliver(userId, "notification", update);
      sent++;
    }
    if (stock == 0) {
      Map<String, Object> soldOut = new LinkedHashMap<>(update);
      soldOut.put("type", "STOCK_SOLD_OUT");
      soldOut.put("message", "A product in your cart is sold out");
      for (long userId : products.cartHolders(productId)) {
        deliver(userId, "notification", soldOut);
        sent++;
      }
    }
    admin.emit("admin:stock-alert", update);
    return sent;
  }

  /** PRICE_DROP to watchers when the price fell; nothing on a rise or no change. */
  public int priceChanged(String productId, double oldPrice, double newPrice) {
    if (!(newPrice < oldPrice)) {
      return 0;
    }
    double changePercent = Math.abs((newPrice - oldPrice) / oldPrice * 100);
    Map<String, Object> drop = new LinkedHashMap<>();
    drop.put("type", "PRICE_DROP");
    drop.put("productId", productId);
    drop.put("oldPrice", oldPrice);
    drop.put("newPrice", newPrice);
    drop.put("changePercent", String.format(Locale.ROOT, "%.1f", changePercent));
    drop.put("timestamp", System.currentTimeMillis());
    int sent = 0;
    for (long userId : products.watchers(productId)) {
      deliver(userId, "notification", drop);
      sent++;
    }
    return sent;
  }

  /** {@code job:progress} to the job's owner; false when there is no such user. */
  public boolean jobProgress(long userId, String jobId, double progress, String status) {
    if (users.byId(userId).isEmpty()) {
      return false;
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("jobId", jobId);
    p.put("progress", progress);
    p.put("status", status);
    p.put("timestamp", System.currentTimeMillis());
    if (status.equals("processing")) {
      emit(userId, "job:progress", p);
      metrics.notification("JOB_PROGRESS");
    } else {
      deliver(userId, "job:progress", p);
    }
    return true;
  }

  private void deliver(long userId, String event, Map<String, Object> payload) {
    long id = inbox.add(userId, event, json(payload), (Long) payload.get("timestamp"));
    Map<String, Object> withId = new LinkedHashMap<>(payload);
    withId.put("notificationId", id);
    emit(userId, event, withId);
    metrics.notification(event.equals("job:progress") ? "JOB_PROGRESS" : (String) payload.get("type"));
  }

  private void emit(long userId, String event, Map<String, Object> payload) {
    main.to(RoomHandlers.userRoom(userId)).emit(event, payload);
    notifications.to(notificationsRoom(userId)).emit(event, payload);
  }

  public static String notificationsRoom(long userId) {
    return "user:" + userId + ":notifications";
  }

  /** The inbox page of a user: {@code {unread, notifications: [{id, event, payload, createdAt, read}]}}, newest first. */
  public Map<String, Object> inboxOf(long userId, boolean unreadOnly, int limit) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (InboxRepository.Entry e : inbox.list(userId, unreadOnly, limit)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", e.id());
      item.put("event", e.event());
      item.put("payload", parse(e.payload()));
      item.put("createdAt", e.createdAt());
      item.put("read", e.readAt() != null);
      items.add(item);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("unread", inbox.unreadCount(userId));
    out.put("notifications", items);
    return out;
  }

  /** Marks entries read ({@code ids}, or all when null); returns {@code {updated, unread}}. */
  public Map<String, Object> markRead(long userId, List<Long> ids) {
    int updated = ids == null ? inbox.markAllRead(userId) : inbox.markRead(userId, ids);
    return Map.of("updated", updated, "unread", inbox.unreadCount(userId));
  }

  /** Sends {@code notifications:unread} (the unread inbox) to a socket that just connected. */
  public void sendUnread(Socket socket, long userId) {
    socket.emit("notifications:unread", inboxOf(userId, true, INBOX_PAGE));
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode parse(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      return mapper.getNodeFactory().textNode(json);
    }
  }
}
