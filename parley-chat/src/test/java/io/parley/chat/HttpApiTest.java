package io.parley.chat;

import static io.parley.chat.testkit.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
@Timeout(30)
class HttpApiTest {
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

  @Test
  void registerCreatesAUserOnceAndRefusesTheSameNameWith409() throws Exception {
    HttpResponse<String> r = app.post("/api/register", Map.of("username", "carol_" + backend, "password", "long-enough"), null);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).path("username").asText()).isEqualTo("carol_" + backend);
    assertThat(json(r).path("userId").asLong()).isPositive();

    HttpResponse<String> again = app.post("/api/register", Map.of("username", "carol_" + backend, "password", "other-password"), null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("code").asText()).isEqualTo("USERNAME_TAKEN");
  }

  @Test
  void registerRejectsBadJsonAndInvalidFieldsWith400AndAClearMessage() throws Exception {
    HttpResponse<String> bad = app.post("/api/register", "{\"username\": ", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").asText()).startsWith("invalid JSON");

    assertThat(app.post("/api/register", "[1,2]", null).statusCode()).isEqualTo(400);
    HttpResponse<String> shortPassword = app.post("/api/register", Map.of("username", "dave", "password", "short"), null);
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(json(shortPassword).path("error").asText()).contains("at least 8");
    HttpResponse<String> wrongType = app.post("/api/register", Map.of("username", 42, "password", "long-enough"), null);
    assertThat(json(wrongType).path("error").asText()).isEqualTo("username must be a string");
    assertThat(app.post("/api/register", Map.of("username", "no spaces allowed", "password", "long-enough"), null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void loginReturnsATokenAndTheUserAndRefusesWrongPasswordsWith401() throws Exception {
    User u = app.user("erin");
    HttpResponse<String> ok = app.post("/api/login", Map.of("username", u.name(), "password", "password-" + u.name()), null);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).path("user").path("role").asText()).isEqualTo("user");
    assertThat(json(ok).path("user").path("username").asText()).isEqualTo(u.name());
    assertThat(json(ok).path("token").asText()).contains(".");

    assertThat(app.post("/api/login", Map.of("username", u.name(), "password", "wrong-password"), null).statusCode()).isEqualTo(401);
    assertThat(app.post("/api/login", Map.of("username", "nobody-here", "password", "wrong-password"), null).statusCode()).isEqualTo(401);
  }

  @Test
  void repeatedFailedLoginsForOneAccountAreRefusedWith429EvenWithTheRightPassword() throws Exception {
    User u = app.user("mallory-target");
    for (int i = 0; i < 5; i++) {
      assertThat(app.post("/api/login", Map.of("username", u.name(), "password", "guess-" + i), null).statusCode())
          .isEqualTo(401);
    }
    HttpResponse<String> locked = app.post("/api/login", Map.of("username", u.name(), "password", "password-" + u.name()), null);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(json(locked).path("code").asText()).isEqualTo("TOO_MANY_ATTEMPTS");
    // another account is not affected
    User other = app.user("bystander");
    assertThat(app.post("/api/login", Map.of("username", other.name(), "password", "password-" + other.name()), null)
        .statusCode()).isEqualTo(200);
  }

  @Test
  void roomsNeedATokenAndPrivateRoomsAreListedOnlyForTheirMembers() throws Exception {
    User owner = app.user("owner");
    User member = app.user("member");
    User outsider = app.user("outsider");
    assertThat(app.get("/api/rooms", null).statusCode()).isEqualTo(401);
    assertThat(json(app.get("/api/rooms", "not-a-token")).path("code").asText()).isEqualTo("TOKEN_INVALID");

    HttpResponse<String> created = app.post("/api/rooms",
        Map.of("name", "secret plans", "isPrivate", true, "members", List.of(member.id())), owner.token());
    assertThat(created.statusCode()).isEqualTo(201);
    String roomId = json(created).path("roomId").asText();

    assertThat(roomIds(owner)).contains("general", roomId);
    assertThat(roomIds(member)).contains("general", roomId);
    assertThat(roomIds(outsider)).contains("general").doesNotContain(roomId);

    assertThat(app.post("/api/rooms", Map.of("name", "x", "members", List.of(999999)), owner.token()).statusCode()).isEqualTo(400);
    assertThat(app.post("/api/rooms", Map.of("name", "x", "isPrivate", "yes"), owner.token()).statusCode()).isEqualTo(400);
  }

  private List<String> roomIds(User u) throws Exception {
    HttpResponse<String> r = app.get("/api/rooms", u.token());
    assertThat(r.statusCode()).isEqualTo(200);
    return json(r).path("rooms").findValuesAsText("id");
  }

  @Test
  void watchAndCartTakeFreeStringProductIdsAndAreIdempotent() throws Exception {
    User u = app.user("shopper");
    HttpResponse<String> w = app.post("/api/products/sku%2F42 blue/watch".replace(" ", "%20"), null, u.token());
    assertThat(w.statusCode()).isEqualTo(201);
    assertThat(json(w).path("productId").asText()).isEqualTo("sku/42 blue");
    assertThat(app.post("/api/products/sku-1/watch", null, u.token()).statusCode()).isEqualTo(201);
    assertThat(app.post("/api/products/sku-1/watch", null, u.token()).statusCode()).isEqualTo(200);
    assertThat(app.post("/api/products/sku-1/watch", null, null).statusCode()).isEqualTo(401);

    assertThat(app.post("/api/cart/items", Map.of("productId", "sku-1"), u.token()).statusCode()).isEqualTo(201);
    assertThat(app.post("/api/cart/items", Map.of("productId", "sku-1"), u.token()).statusCode()).isEqualTo(200);
    assertThat(app.post("/api/cart/items", Map.of("productId", 7), u.token()).statusCode()).isEqualTo(400);
    assertThat(app.request("DELETE", "/api/cart/items/sku-1", null, u.token()).statusCode()).isEqualTo(200);
    assertThat(app.request("DELETE", "/api/cart/items/sku-1", null, u.token()).statusCode()).isEqualTo(404);
  }

  @Test
  void webhooksNeedTheSecretAndValidateTheirBodies() throws Exception {
    Map<String, Object> stock = Map.of("productId", "p", "stock", 5);
    assertThat(app.post("/internal/notify/stock", stock, null).statusCode()).isEqualTo(401);
    assertThat(app.post("/internal/notify/stock", stock, "wrong").statusCode()).isEqualTo(401);
    assertThat(app.post("/internal/notify/stock", stock, TestApp.WEBHOOK_SECRET + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = app.post("/internal/notify/stock", stock, TestApp.WEBHOOK_SECRET);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).path("success").asBoolean()).isTrue();

    assertThat(app.post("/internal/notify/stock", Map.of("productId", "p", "stock", -1), TestApp.WEBHOOK_SECRET).statusCode()).isEqualTo(400);
    assertThat(app.post("/internal/notify/price", Map.of("productId", "p", "oldPrice", "ten", "newPrice", 5), TestApp.WEBHOOK_SECRET)
        .statusCode()).isEqualTo(400);
    assertThat(app.post("/internal/notify/progress",
        Map.of("userId", 1, "jobId", "j", "progress", 50, "status", "dancing"), TestApp.WEBHOOK_SECRET).statusCode()).isEqualTo(400);
    assertThat(app.post("/internal/notify/progress",
        Map.of("userId", 987654, "jobId", "j", "progress", 50, "status", "processing"), TestApp.WEBHOOK_SECRET).statusCode()).isEqualTo(404);
  }

  @Test
  void healthMetricsAndTheWebPageAnswer() throws Exception {
    HttpResponse<String> health = app.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("database").asText()).isEqualTo("up");
    HttpResponse<String> ready = app.get("/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).path("status").asText()).isEqualTo("ready");
    assertThat(json(ready).path("database").asText()).isEqualTo("up");

    app.get("/api/rooms", null);
    HttpResponse<String> metrics = app.get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).contains("parley_connected_sockets{namespace=\"/\"}")
        .contains("parley_http_requests_seconds_count{method=\"GET\",route=\"/api/rooms\",status=\"401\"}");

    HttpResponse<String> page = app.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(page.body()).containsIgnoringCase("<title>Parley</title>");
  }

  @Test
  void unknownPathsAre404WrongMethods405AndHugeBodies413() throws Exception {
    assertThat(app.get("/api/nothing-here", null).statusCode()).isEqualTo(404);
    HttpResponse<String> put = app.request("PUT", "/api/login", "{}", null);
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("allow")).hasValue("POST");
    String huge = "{\"username\":\"" + "x".repeat(ChatApp.MAX_BODY + 10) + "\"}";
    assertThat(app.post("/api/register", huge, null).statusCode()).isEqualTo(413);
  }
}
