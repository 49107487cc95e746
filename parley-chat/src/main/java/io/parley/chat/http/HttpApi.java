package io.parley.chat.http;

import io.parley.server.HealthIndicator;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.auth.Passwords;
import io.parley.chat.auth.Secrets;
import io.parley.chat.auth.Tokens;
import io.parley.chat.db.Database;
import io.parley.chat.db.ProductRepository;
import io.parley.chat.db.RoomRepository;
import io.parley.chat.db.UserRepository;
import io.parley.chat.db.UserRepository.User;
import io.parley.chat.metrics.Metrics;
import io.parley.chat.notify.Notifier;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/** The HTTP endpoints of the application, mounted on a {@link Router}. */
public final class HttpApi {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  private static final int MAX_PRODUCT_ID = 200;
  private static final Set<String> JOB_STATUSES = Set.of("processing", "completed", "failed");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final UserRepository users;
  private final RoomRepository rooms;
  private final ProductRepository products;
  private final Passwords passwords;
  private final Tokens tokens;
  private final Authenticator auth;
  private final Notifier notifier;
  private final Metrics metrics;
  private final String webhookSecret;
  private final IntSupplier connections;

  private final List<HealthIndicator> dependencies;
  /** 5 failures per account, 20 per client address, in 15 minutes. */
  private final LoginThrottle loginThrottle = new LoginThrottle(5, 20, java.time.Duration.ofMinutes(15));

  public HttpApi(Database db, UserRepository users, RoomRepository rooms, ProductRepository products, Passwords passwords,
      Tokens tokens, Authenticator auth, Notifier notifier, Metrics metrics, String webhookSecret, IntSupplier connections,
      List<HealthIndicator> dependencies) {
    this.dependencies = List.copyOf(dependencies);
    this.db = db;
    this.users = users;
    this.rooms = rooms;
    this.products = products;
    this.passwords = passwords;
    this.tokens = tokens;
    this.auth = auth;
    this.notifier = notifier;
    this.metrics = metrics;
    this.webhookSecret = webhookSecret;
    this.connections = connections;
  }

  public void mount(Router r) {
    r.get("/health", this::health);
    r.get("/ready", this::ready);
    r.get("/metrics", req -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    r.post("/api/register", this::register);
    r.post("/api/login", this::login);
    r.get("/api/rooms", this::listRooms);
    r.post("/api/rooms", this::createRoom);
    r.post("/api/products/{productId}/watch", req -> watch(req, true));
    r.delete("/api/products/{productId}/watch", req -> watch(req, false));
    r.post("/api/cart/items", this::addToCart);
    r.delete("/api/cart/items/{productId}", this::removeFromCart);
    r.get("/api/notifications", this::notifications);
    r.post("/api/notifications/read", this::markRead);
    r.post("/internal/notify/stock", this::notifyStock);
    r.post("/internal/notify/price", this::notifyPrice);
    r.post("/internal/notify/progress", this::notifyProgress);
  }

  /**
   * Readiness for a load balancer: 200 when the database answers and every dependency (the
   * cluster backend) is connected, 503 otherwise, with the state of each.
   */
  private Response ready(Request req) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean ready = db.ping();
    body.put("database", ready ? "up" : "down");
    for (HealthIndicator d : dependencies) {
      boolean up = d.healthy();
      body.put(d.name(), up ? "up" : "down");
      ready &= up;
    }
    body.put("status", ready ? "ready" : "not ready");
    return Response.json(ready ? 200 : 503, body);
  }

  /**
   * Health: the state of the database and of every dependency (the cluster backend). 503 when the
   * database is down; a dependency that is down makes the status {@code degraded} but keeps 200
   * (the node still serves its own clients, and restarting it would not bring Redis back: take
   * nodes out of a load balancer with {@code /ready}).
   */
  private Response health(Request req) {
    boolean up = db.ping();
    boolean all = up;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("database", up ? "up" : "down");
    for (HealthIndicator d : dependencies) {
      boolean depUp = d.healthy();
      body.put(d.name(), depUp ? "up" : "down");
      all &= depUp;
    }
    body.put("status", all ? "ok" : "degraded");
    body.put("connections", connections.getAsInt());
    return Response.json(up ? 200 : 503, body);
  }

  private Response register(Request req) {
    JsonNode body = req.json();
    String username = text(body, "username", 32);
    String password = text(body, "password", 200);
    if (!USERNAME.matcher(username).matches()) {
      throw HttpError.badRequest("username must be 3 to 32 letters, digits, '_', '.' or '-'");
    }
    String problem = Passwords.problem(password);
    if (problem != null) {
      throw HttpError.badRequest(problem);
    }
    User user = users.create(username, passwords.hash(password), "user")
        .orElseThrow(() -> new HttpError(409, "USERNAME_TAKEN", "username already taken"));
    return Response.json(201, Map.of("userId", user.id(), "username", user.username()));
  }

  /** The failed-login counters of {@code /api/login}, shared with the admin UI's logins. */
  public LoginThrottle loginThrottle() {
    return loginThrottle;
  }

  private Response login(Request req) {
    JsonNode body = req.json();
    String username = text(body, "username", 200);
    String password = text(body, "password", 200);
    long wait = loginThrottle.retryAfterSeconds(username, req.remoteAddress());
    if (wait > 0) {
      throw new HttpError(429, "TOO_MANY_ATTEMPTS", "too many failed logins; try again in " + wait + " s");
    }
    User user = users.byName(username).orElse(null);
    if (!passwords.matches(password, user == null ? null : user.passwordHash())) {
      loginThrottle.failed(username, req.remoteAddress());
      throw new HttpError(401, "INVALID_CREDENTIALS", "invalid username or password");
    }
    loginThrottle.succeeded(username);
    if (!user.active()) {
      throw new HttpError(403, "ACCOUNT_DISABLED", "account disabled");
    }
    Map<String, Object> u = Map.of("id", user.id(), "username", user.username(), "role", user.role());
    return Response.json(200, Map.of("token", tokens.issue(user.id(), user.username(), user.role()), "user", u));
  }

  private Response listRooms(Request req) {
    Principal me = principal(req);
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoomRepository.Room room : rooms.visibleTo(me.id())) {
      out.add(Map.of("id", room.id(), "name", room.name(), "isPrivate", room.isPrivate()));
    }
    return Response.json(200, Map.of("rooms", out));
  }

  private Response createRoom(Request req) {
    Principal me = principal(req);
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

  private Response watch(Request req, boolean on) {
    Principal me = principal(req);
    String productId = productId(req.param("productId"));
    boolean changed = on ? products.watch(me.id(), productId) : products.unwatch(me.id(), productId);
    return Response.json(on && changed ? 201 : 200, Map.of("productId", productId, "watching", on));
  }

  private Response addToCart(Request req) {
    Principal me = principal(req);
    String productId = productId(text(req.json(), "productId", MAX_PRODUCT_ID));
    boolean added = products.addToCart(me.id(), productId);
    return Response.json(added ? 201 : 200, Map.of("productId", productId, "inCart", true));
  }

  private Response removeFromCart(Request req) {
    Principal me = principal(req);
    String productId = productId(req.param("productId"));
    if (!products.removeFromCart(me.id(), productId)) {
      throw HttpError.notFound("not in the cart: " + productId);
    }
    return Response.json(200, Map.of("productId", productId, "inCart", false));
  }

  private Response notifications(Request req) {
    Principal me = principal(req);
    boolean unreadOnly = "true".equals(first(req, "unread"));
    int limit = Notifier.INBOX_PAGE;
    String l = first(req, "limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("limit must be an integer");
      }
      if (limit < 1 || limit > 200) {
        throw HttpError.badRequest("limit must be 1 to 200");
      }
    }
    return Response.json(200, notifier.inboxOf(me.id(), unreadOnly, limit));
  }

  private Response markRead(Request req) {
    Principal me = principal(req);
    return Response.json(200, notifier.markRead(me.id(), readIds(req.json())));
  }

  /** {@code {ids: [..]}} or {@code {all: true}}: the ids, or null for all. Shared with the socket event. */
  public static List<Long> readIds(JsonNode body) {
    if (body.path("all").asBoolean(false)) {
      return null;
    }
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray() || ids.size() > 500) {
      throw HttpError.badRequest("ids (array of at most 500 notification ids) or all: true required");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isIntegralNumber() || !id.canConvertToLong()) {
        throw HttpError.badRequest("ids must be integers");
      }
      out.add(id.longValue());
    }
    return out;
  }

  private Response notifyStock(Request req) {
    requireWebhookSecret(req);
    JsonNode body = req.json();
    String productId = productId(text(body, "productId", MAX_PRODUCT_ID));
    JsonNode stock = body.get("stock");
    if (stock == null || !stock.isIntegralNumber() || !stock.canConvertToLong() || stock.longValue() < 0) {
      throw HttpError.badRequest("stock must be an integer >= 0");
    }
    int notified = notifier.stockChanged(productId, stock.longValue());
    return Response.json(200, Map.of("success", true, "notified", notified));
  }

  private Response notifyPrice(Request req) {
    requireWebhookSecret(req);
    JsonNode body = req.json();
    String productId = productId(text(body, "productId", MAX_PRODUCT_ID));
    double oldPrice = number(body, "oldPrice");
    double newPrice = number(body, "newPrice");
    if (oldPrice <= 0 || newPrice < 0) {
      throw HttpError.badRequest("oldPrice must be > 0 and newPrice >= 0");
    }
    int notified = notifier.priceChanged(productId, oldPrice, newPrice);
    return Response.json(200, Map.of("success", true, "notified", notified));
  }

  private Response notifyProgress(Request req) {
    requireWebhookSecret(req);
    JsonNode body = req.json();
    JsonNode userId = body.get("userId");
    long id;
    if (userId != null && userId.isIntegralNumber() && userId.canConvertToLong()) {
      id = userId.longValue();
    } else if (userId != null && userId.isTextual() && userId.textValue().matches("[0-9]{1,18}")) {
      id = Long.parseLong(userId.textValue());
    } else {
      throw HttpError.badRequest("userId must be a user id");
    }
    String jobId = text(body, "jobId", MAX_PRODUCT_ID);
    double progress = number(body, "progress");
    if (progress < 0 || progress > 100) {
      throw HttpError.badRequest("progress must be 0 to 100");
    }
    String status = text(body, "status", 20);
    if (!JOB_STATUSES.contains(status)) {
      throw HttpError.badRequest("status must be one of processing, completed, failed");
    }
    if (!notifier.jobProgress(id, jobId, progress, status)) {
      throw HttpError.notFound("no such user: " + id);
    }
    return Response.json(200, Map.of("success", true));
  }

  private void requireWebhookSecret(Request req) {
    if (webhookSecret == null) {
      throw new HttpError(404, "WEBHOOKS_DISABLED", "webhooks are disabled: start the server with --webhook-secret");
    }
    if (!Secrets.constantTimeEquals(Authenticator.bearer(req.header("authorization")), webhookSecret)) {
      throw new HttpError(401, "UNAUTHORIZED", "webhook secret required (Authorization: Bearer <secret>)");
    }
  }

  private Principal principal(Request req) {
    try {
      return auth.authenticate(Authenticator.bearer(req.header("authorization")));
    } catch (Authenticator.AuthException e) {
      throw new HttpError(401, e.code(), e.getMessage());
    }
  }

  private static String first(Request req, String name) {
    List<String> v = req.query().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String productId(String s) {
    if (s == null || s.isBlank() || s.length() > MAX_PRODUCT_ID) {
      throw HttpError.badRequest("productId must be 1 to " + MAX_PRODUCT_ID + " characters");
    }
    return s;
  }

  private static String text(JsonNode body, String field, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw HttpError.badRequest(field + " is required");
    }
    if (!v.isTextual()) {
      throw HttpError.badRequest(field + " must be a string");
    }
    if (v.textValue().isEmpty() || v.textValue().length() > max) {
      throw HttpError.badRequest(field + " must be 1 to " + max + " characters");
    }
    return v.textValue();
  }

  private static double number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw HttpError.badRequest(field + " must be a number");
    }
    return v.doubleValue();
  }
}
