package io.parley.chat.notifications;

import static io.parley.chat.notifications.NotificationRoutes.MAX_PRODUCT_ID;
import static io.parley.chat.notifications.NotificationRoutes.productId;
import static io.parley.chat.web.Fields.number;
import static io.parley.chat.web.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.Authenticator;
import io.parley.chat.auth.Secrets;
import io.parley.chat.web.HttpError;
import io.parley.chat.web.Request;
import io.parley.chat.web.Response;
import io.parley.chat.web.Router;
import java.util.Map;
import java.util.Set;

/**
 * The webhooks other systems call ({@code /internal/notify/stock}, {@code price}, {@code progress})
 * with the webhook secret as a bearer token; disabled (404) when the server has no secret.
 */
public final class Webhooks {
  private static final Set<String> JOB_STATUSES = Set.of("processing", "completed", "failed");

  private final Notifier notifier;
  private final String webhookSecret;

  /** @param webhookSecret the bearer token the webhooks require, or null to disable them */
  public Webhooks(Notifier notifier, String webhookSecret) {
    this.notifier = notifier;
    this.webhookSecret = webhookSecret;
  }

  public void mount(Router r) {
    r.post("/internal/notify/stock", this::notifyStock);
    r.post("/internal/notify/price", this::notifyPrice);
    r.post("/internal/notify/progress", this::notifyProgress);
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
}
