package io.parley.chat.notifications;

import static io.parley.chat.testkit.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who may call {@code /internal/notify/*}: only the holder of the webhook secret, and nobody when none is set. */
@Timeout(30)
class WebhookAccessTest {
  private static final Map<String, Object> STOCK = Map.of("productId", "p-1", "stock", 3);
  private static final List<String> KINDS = List.of("stock", "price", "progress");

  private static HttpResponse<String> raw(TestApp app, String path, String authorization) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(TestApp.JSON.writeValueAsString(STOCK)));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyTheWebhookSecretAsABearerTokenOpensTheWebhooks() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2)) {
      String userToken = app.user("hooker").token();
      String adminToken = app.admin().token();
      for (String kind : KINDS) {
        String path = "/internal/notify/" + kind;
        for (String auth : new String[] {null, "", "Bearer", "Bearer ", TestApp.WEBHOOK_SECRET,
            "Basic " + TestApp.WEBHOOK_SECRET, "Bearer " + TestApp.WEBHOOK_SECRET.toUpperCase(),
            "Bearer " + TestApp.WEBHOOK_SECRET.substring(1), "Bearer " + TestApp.WEBHOOK_SECRET + "x",
            "Bearer " + userToken, "Bearer " + adminToken}) {
          HttpResponse<String> r = raw(app, path, auth);
          assertThat(r.statusCode()).as("%s with Authorization %s", path, auth).isEqualTo(401);
          assertThat(json(r).path("code").asText()).isEqualTo("UNAUTHORIZED");
        }
      }
      assertThat(raw(app, "/internal/notify/stock", "Bearer " + TestApp.WEBHOOK_SECRET).statusCode()).isEqualTo(200);
      assertThat(raw(app, "/internal/notify/stock", "bearer  " + TestApp.WEBHOOK_SECRET + " ").statusCode())
          .as("scheme case and surrounding blanks").isEqualTo(200);
    }
  }

  @Test
  void withoutAWebhookSecretTheWebhooksAreDisabled() throws Exception {
    try (TestApp app = TestApp.start(Backend.H2, b -> b.webhookSecret(null))) {
      for (String kind : KINDS) {
        for (String auth : new String[] {null, "Bearer ", "Bearer " + TestApp.WEBHOOK_SECRET, "Bearer null"}) {
          HttpResponse<String> r = raw(app, "/internal/notify/" + kind, auth);
          assertThat(r.statusCode()).as("%s with Authorization %s", kind, auth).isEqualTo(404);
          assertThat(json(r).path("code").asText()).isEqualTo("WEBHOOKS_DISABLED");
        }
      }
    }
  }
}
