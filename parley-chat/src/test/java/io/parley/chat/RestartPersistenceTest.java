package io.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RestartPersistenceTest {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void usersRoomsMessagesReceiptsInboxAndTheJwtSecretSurviveARestart(Backend backend) throws Exception {
    try (TestApp app = TestApp.start(backend)) {
      User alice = app.user("alice");
      User bob = app.user("bob");
      String room = TestApp.json(app.post("/api/rooms", Map.of("name", "kept", "isPrivate", true,
          "members", java.util.List.of(bob.id())), alice.token())).path("roomId").asText();
      long messageId;
      try (TestClient a = app.connect(alice.token()); TestClient b = app.connect(bob.token())) {
        a.ask("room:join", room);
        b.ask("room:join", room);
        messageId = a.ask("chat:send", Map.of("roomId", room, "text", "remember me")).path("messageId").asLong();
        assertThat(b.ask("chat:read", Map.of("roomId", room, "lastReadMessageId", messageId)).path("success").asBoolean()).isTrue();
      }
      app.post("/api/products/kept-product/watch", null, bob.token());
      app.post("/internal/notify/stock", Map.of("productId", "kept-product", "stock", 1), TestApp.WEBHOOK_SECRET);
      assertThat(Files.readString(app.dataDir().resolve("jwt-secret"))).isNotBlank();

      app.restart();

      try (TestClient a = app.connect(alice.token())) {
        assertThat(a.isConnected()).as("a token issued before the restart is still valid").isTrue();
        assertThat(a.ask("room:join", room).path("success").asBoolean()).isTrue();
        JsonNode history = a.next("room:history").path("messages");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("id").asLong()).isEqualTo(messageId);
        assertThat(history.get(0).path("text").asText()).isEqualTo("remember me");
        assertThat(history.get(0).path("readBy").toString()).contains(Long.toString(bob.id()));
      }
      User again = app.login(bob.name(), "password-" + bob.name(), false);
      assertThat(again.id()).isEqualTo(bob.id());
      assertThat(TestApp.json(app.get("/api/rooms", bob.token())).path("rooms").findValuesAsText("id")).contains(room);
      assertThat(TestApp.json(app.get("/api/notifications", bob.token())).path("unread").asInt()).isEqualTo(1);
      assertThat(app.post("/api/register", Map.of("username", alice.name(), "password", "whatever-1"), null).statusCode())
          .isEqualTo(409);
    }
  }
}
