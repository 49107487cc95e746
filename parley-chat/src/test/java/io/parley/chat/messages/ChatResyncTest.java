package io.parley.chat.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client does after a disconnect: retry {@code chat:send} with its idempotency key
 * ({@code clientMsgId}) without creating a duplicate, and, when its session was not recovered,
 * fill the gap from the database with {@code chat:sync}.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@Timeout(60)
class ChatResyncTest {
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

  private static void join(TestClient c, String roomId) {
    assertThat(c.ask("room:join", roomId).path("success").asBoolean()).isTrue();
    c.next("room:history");
  }

  @Test
  void aRetriedSendWithTheSameKeyCreatesNoDuplicate() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    String room = app.publicRoom(alice);
    try (TestClient b = app.connect(bob.token())) {
      join(b, room);
      long first;
      try (TestClient a = app.connect(alice.token())) {
        join(a, room);
        JsonNode ack = a.ask("chat:send", Map.of("roomId", room, "text", "once", "clientMsgId", "k-1"));
        assertThat(ack.path("success").asBoolean()).isTrue();
        assertThat(ack.has("duplicate")).isFalse();
        first = ack.path("messageId").asLong();
        assertThat(b.next("chat:message").path("id").asLong()).isEqualTo(first);
      }
      // the ack was lost with the connection: the client comes back and sends again
      try (TestClient again = app.connect(alice.token())) {
        join(again, room);
        JsonNode retry = again.ask("chat:send", Map.of("roomId", room, "text", "once", "clientMsgId", "k-1"));
        assertThat(retry.path("success").asBoolean()).isTrue();
        assertThat(retry.path("messageId").asLong()).isEqualTo(first);
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(b.poll("chat:message", Duration.ofMillis(300))).as("not broadcast again").isNull();

        JsonNode other = again.ask("chat:send", Map.of("roomId", room, "text", "twice", "clientMsgId", "k-2"));
        assertThat(other.path("messageId").asLong()).isGreaterThan(first);
        JsonNode noKey = again.ask("chat:send", Map.of("roomId", room, "text", "twice"));
        JsonNode noKeyAgain = again.ask("chat:send", Map.of("roomId", room, "text", "twice"));
        assertThat(noKeyAgain.path("messageId").asLong()).as("without a key every send is new")
            .isGreaterThan(noKey.path("messageId").asLong());
      }
      JsonNode all = b.ask("chat:sync", Map.of("roomId", room, "afterId", 0));
      List<String> texts = new ArrayList<>();
      all.path("messages").forEach(m -> texts.add(m.path("text").asText()));
      assertThat(texts).containsExactly("once", "twice", "twice", "twice");
    }
  }

  @Test
  void syncReturnsWhatCameAfterTheLastMessageTheClientHas() throws Exception {
    User alice = app.user("alice");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token())) {
      join(a, room);
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(a.ask("chat:send", Map.of("roomId", room, "text", "m" + i)).path("messageId").asLong());
      }
      JsonNode sync = a.ask("chat:sync", Map.of("roomId", room, "afterId", ids.get(1)));
      assertThat(sync.path("success").asBoolean()).isTrue();
      assertThat(sync.path("more").asBoolean()).isFalse();
      List<Long> got = new ArrayList<>();
      sync.path("messages").forEach(m -> got.add(m.path("id").asLong()));
      assertThat(got).containsExactlyElementsOf(ids.subList(2, 5));
      assertThat(sync.path("messages").get(0).path("text").asText()).isEqualTo("m2");
    }
    try (TestClient outsider = app.connect(app.user("carol").token())) {
      JsonNode refused = outsider.ask("chat:sync", Map.of("roomId", room, "afterId", 1));
      assertThat(refused.path("success").asBoolean()).isFalse();
      assertThat(refused.path("code").asText()).isEqualTo("NOT_IN_ROOM");
    }
  }
}
