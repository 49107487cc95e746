package io.parley.chat.notifications;

import static io.parley.chat.web.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Authenticator.Principal;
import io.parley.chat.web.HttpError;
import io.parley.chat.web.Request;
import io.parley.chat.web.Response;
import io.parley.chat.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a user subscribes to and reads: product watches ({@code /api/products/{productId}/watch}),
 * the cart ({@code /api/cart/items}) and the notification inbox ({@code /api/notifications}).
 */
public final class NotificationRoutes {
  static final int MAX_PRODUCT_ID = 200;

  private final ProductRepository products;
  private final Authenticator auth;
  private final Notifier notifier;

  public NotificationRoutes(ProductRepository products, Authenticator auth, Notifier notifier) {
    this.products = products;
    this.auth = auth;
    this.notifier = notifier;
  }

  public void mount(Router r) {
    r.post("/api/products/{productId}/watch", req -> watch(req, true));
    r.delete("/api/products/{productId}/watch", req -> watch(req, false));
    r.post("/api/cart/items", this::addToCart);
    r.delete("/api/cart/items/{productId}", this::removeFromCart);
    r.get("/api/notifications", this::notifications);
    r.post("/api/notifications/read", this::markRead);
  }

  private Response watch(Request req, boolean on) {
    Principal me = auth.caller(req);
    String productId = productId(req.param("productId"));
    boolean changed = on ? products.watch(me.id(), productId) : products.unwatch(me.id(), productId);
    return Response.json(on && changed ? 201 : 200, Map.of("productId", productId, "watching", on));
  }

  private Response addToCart(Request req) {
    Principal me = auth.caller(req);
    String productId = productId(text(req.json(), "productId", MAX_PRODUCT_ID));
    boolean added = products.addToCart(me.id(), productId);
    return Response.json(added ? 201 : 200, Map.of("productId", productId, "inCart", true));
  }

  private Response removeFromCart(Request req) {
    Principal me = auth.caller(req);
    String productId = productId(req.param("productId"));
    if (!products.removeFromCart(me.id(), productId)) {
      throw HttpError.notFound("not in the cart: " + productId);
    }
    return Response.json(200, Map.of("productId", productId, "inCart", false));
  }

  private Response notifications(Request req) {
    Principal me = auth.caller(req);
    boolean unreadOnly = "true".equals(req.query("unread"));
    int limit = Notifier.INBOX_PAGE;
    String l = req.query("limit");
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
    Principal me = auth.caller(req);
    return Response.json(200, notifier.markRead(me.id(), readIds(req.json())));
  }

  /** {@code {ids: [..]}} or {@code {all: true}}: the ids, or null for all. Shared with the socket event. */
  static List<Long> readIds(JsonNode body) {
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

  /** A product id: any string of 1 to {@link #MAX_PRODUCT_ID} characters, not blank. */
  static String productId(String s) {
    if (s == null || s.isBlank() || s.length() > MAX_PRODUCT_ID) {
      throw HttpError.badRequest("productId must be 1 to " + MAX_PRODUCT_ID + " characters");
    }
    return s;
  }
}
