package io.parley.chat.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
@Timeout(60)
class NotificationsTest {
  static final Duration QUIET = Duration.ofMillis(300);

  @Parameter
  Backend backend;

  static TestApp app;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) throws Exception {
    app = TestApp.start(backend);
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    app.close();
  }

  private static String product() {
    return "sku-" + UUID.randomUUID();
  }

  private static void webhook(String kind, Map<String, Object> body) throws Exception {
    var r = app.post("/internal/notify/" + kind, body, TestApp.WEBHOOK_SECRET);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void stockChangesGoToWatchersSoldOutToCartHoldersAndEveryChangeToAdmins() throws Exception {
    User watcher = app.user("watcher");
    User holder = app.user("holder");
    User bystander = app.user("bystander");
    String p = product();
    app.post("/api/products/" + p + "/watch", null, watcher.token());
    app.post("/api/cart/items", Map.of("productId", p), holder.token());
    try (TestClient w = app.connect(watcher.token()); TestClient h = app.connect(holder.token());
         TestClient o = app.connect(bystander.token()); TestClient admin = app.connect("/admin", app.admin().token())) {
      webhook("stock", Map.of("productId", p, "stock", 5));
      JsonNode low = w.next("notification");
      assertThat(low.path("type").asText()).isEqualTo("STOCK_UPDATE");
      assertThat(low.path("productId").asText()).isEqualTo(p);
      assertThat(low.path("stock").asInt()).isEqualTo(5);
      assertThat(low.path("isLowStock").asBoolean()).isTrue();
      assertThat(low.path("timestamp").asLong()).isPositive();
      assertThat(low.path("notificationId").asLong()).isPositive();
      JsonNode alert = admin.next("admin:stock-alert");
      assertThat(alert.path("productId").asText()).isEqualTo(p);
      assertThat(alert.path("stock").asInt()).isEqualTo(5);
      assertThat(h.poll("notification", QUIET)).isNull();

      webhook("stock", Map.of("productId", p, "stock", 20));
      assertThat(w.next("notification").path("isLowStock").asBoolean()).isFalse();
      admin.next("admin:stock-alert");

      webhook("stock", Map.of("productId", p, "stock", 0));
      assertThat(w.next("notification").path("stock").asInt()).isZero();
      JsonNode soldOut = h.next("notification");
      assertThat(soldOut.path("type").asText()).isEqualTo("STOCK_SOLD_OUT");
      assertThat(soldOut.path("productId").asText()).isEqualTo(p);
      assertThat(soldOut.path("message").asText()).isNotBlank();
      assertThat(admin.next("admin:stock-alert").path("stock").asInt()).isZero();
      assertThat(o.poll("notification", QUIET)).isNull();
    }
  }

  @Test
  void aPriceDropIsNotifiedWithItsPercentageAndARiseIsNot() throws Exception {
    User watcher = app.user("watcher");
    String p = product();
    app.post("/api/products/" + p + "/watch", null, watcher.token());
    try (TestClient w = app.connect(watcher.token())) {
      webhook("price", Map.of("productId", p, "oldPrice", 100, "newPrice", 80));
      JsonNode drop = w.next("notification");
      assertThat(drop.path("type").asText()).isEqualTo("PRICE_DROP");
      assertThat(drop.path("productId").asText()).isEqualTo(p);
      assertThat(drop.path("oldPrice").asDouble()).isEqualTo(100.0);
      assertThat(drop.path("newPrice").asDouble()).isEqualTo(80.0);
      assertThat(drop.path("changePercent").asText()).isEqualTo("20.0");
      webhook("price", Map.of("productId", p, "oldPrice", 80, "newPrice", 90));
      assertThat(w.poll("notification", QUIET)).isNull();
    }
  }

  @Test
  void jobProgressGoesToEverySocketOfItsOwnerAndToTheNotificationsNamespace() throws Exception {
    User owner = app.user("owner");
    User other = app.user("other");
    try (TestClient a = app.connect(owner.token()); TestClient b = app.connect(owner.token());
         TestClient n = app.connect("/notifications", owner.token()); TestClient o = app.connect(other.token())) {
      webhook("progress", Map.of("userId", owner.id(), "jobId", "job-1", "progress", 42, "status", "processing"));
      for (TestClient c : List.of(a, b, n)) {
        JsonNode p = c.next("job:progress");
        assertThat(p.path("jobId").asText()).isEqualTo("job-1");
        assertThat(p.path("progress").asInt()).isEqualTo(42);
        assertThat(p.path("status").asText()).isEqualTo("processing");
        assertThat(p.path("timestamp").asLong()).isPositive();
      }
      assertThat(o.poll("job:progress", QUIET)).isNull();
    }
  }

  @Test
  void theNotificationsNamespaceGetsTheUsersNotifications() throws Exception {
    User watcher = app.user("watcher");
    String p = product();
    app.post("/api/products/" + p + "/watch", null, watcher.token());
    try (TestClient n = app.connect("/notifications", watcher.token())) {
      assertThat(n.next("notifications:unread").path("unread").asInt()).isZero();
      webhook("stock", Map.of("productId", p, "stock", 3));
      assertThat(n.next("notification").path("productId").asText()).isEqualTo(p);
    }
    try (TestClient refused = app.connect("/notifications", "bad-token")) {
      assertThat(refused.refusal().path("data").path("code").asText()).isEqualTo("TOKEN_INVALID");
    }
  }

  @Test
  void anOfflineUserFindsMissedNotificationsAndMarksThemRead() throws Exception {
    User away = app.user("away");
    String p = product();
    app.post("/api/products/" + p + "/watch", null, away.token());
    webhook("stock", Map.of("productId", p, "stock", 2));
    webhook("price", Map.of("productId", p, "oldPrice", 50, "newPrice", 25));
    webhook("progress", Map.of("userId", away.id(), "jobId", "export", "progress", 10, "status", "processing"));
    webhook("progress", Map.of("userId", away.id(), "jobId", "export", "progress", 100, "status", "completed"));

    long firstId;
    try (TestClient c = app.connect(away.token())) {
      JsonNode unread = c.next("notifications:unread");
      assertThat(unread.path("unread").asInt()).isEqualTo(3);
      JsonNode items = unread.path("notifications");
      assertThat(items).hasSize(3);
      assertThat(items.get(0).path("event").asText()).isEqualTo("job:progress");
      assertThat(items.get(0).path("payload").path("status").asText()).isEqualTo("completed");
      assertThat(items.get(1).path("payload").path("type").asText()).isEqualTo("PRICE_DROP");
      assertThat(items.get(2).path("payload").path("type").asText()).isEqualTo("STOCK_UPDATE");
      firstId = items.get(2).path("id").asLong();

      JsonNode ack = c.ask("notifications:read", Map.of("ids", List.of(firstId)));
      assertThat(ack.path("success").asBoolean()).isTrue();
      assertThat(ack.path("updated").asInt()).isEqualTo(1);
      assertThat(ack.path("unread").asInt()).isEqualTo(2);
    }
    JsonNode inbox = TestApp.json(app.get("/api/notifications", away.token()));
    assertThat(inbox.path("unread").asInt()).isEqualTo(2);
    assertThat(inbox.path("notifications")).hasSize(3);
    List<Boolean> read = new java.util.ArrayList<>();
    inbox.path("notifications").forEach(n -> read.add(n.path("read").asBoolean()));
    assertThat(read).as("newest first: only the one marked is read").containsExactly(false, false, true);
    assertThat(TestApp.json(app.get("/api/notifications?unread=true", away.token())).path("notifications")).hasSize(2);
    assertThat(app.get("/api/notifications", null).statusCode()).isEqualTo(401);

    var marked = app.post("/api/notifications/read", Map.of("all", true), away.token());
    assertThat(TestApp.json(marked).path("unread").asInt()).isZero();
    try (TestClient c = app.connect(away.token())) {
      assertThat(c.next("notifications:unread").path("unread").asInt()).isZero();
    }
  }

  @Test
  void anAdminBroadcastReachesTheAdminNamespaceOnly() throws Exception {
    User plain = app.user("plain");
    try (TestClient admin1 = app.connect("/admin", app.admin().token());
         TestClient admin2 = app.connect("/admin", app.admin().token()); TestClient user = app.connect(plain.token())) {
      assertThat(admin1.ask("broadcast:all", "maintenance at noon").path("success").asBoolean()).isTrue();
      for (TestClient a : List.of(admin1, admin2)) {
        JsonNode ann = a.next("admin:announcement");
        assertThat(ann.path("message").asText()).isEqualTo("maintenance at noon");
        assertThat(ann.path("from").path("name").asText()).isEqualTo("admin");
      }
      assertThat(user.poll("admin:announcement", QUIET)).isNull();
      assertThat(admin1.ask("broadcast:all", Map.of("message", 5)).path("success").asBoolean()).isFalse();
      user.emit("broadcast:all", "not an admin");
      assertThat(admin1.poll("admin:announcement", QUIET)).isNull();
    }
  }
}
