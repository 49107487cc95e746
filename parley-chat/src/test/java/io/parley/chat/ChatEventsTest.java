package io.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testkit.Backend;
import io.parley.chat.testkit.TestApp;
import io.parley.chat.testkit.TestApp.User;
import io.parley.chat.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
@Timeout(60)
class ChatEventsTest {
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

  /** Joins and returns the history the joiner got. */
  private static JsonNode join(TestClient c, String roomId) {
    JsonNode ack = c.ask("room:join", roomId);
    assertThat(ack.path("success").asBoolean()).as("join ack %s", ack).isTrue();
    JsonNode history = c.next("room:history");
    assertThat(history.path("roomId").asText()).isEqualTo(roomId);
    return history.path("messages");
  }

  private static long send(TestClient c, String roomId, String text) {
    JsonNode ack = c.ask("chat:send", Map.of("roomId", roomId, "text", text));
    assertThat(ack.path("success").asBoolean()).as("send ack %s", ack).isTrue();
    return ack.path("messageId").asLong();
  }

  @Test
  void joiningSendsTheLast50MessagesInOrderAndAMemberUpdateToTheRoom() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token()); TestClient b = app.connect(bob.token())) {
      assertThat(join(a, room)).isEmpty();
      JsonNode own = a.next("room:member-update");
      assertThat(own.path("type").asText()).isEqualTo("joined");
      assertThat(own.path("memberCount").asInt()).isEqualTo(1);
      for (int i = 0; i < 55; i++) {
        send(a, room, "message " + i);
      }
      JsonNode history = join(b, room);
      List<String> texts = new ArrayList<>();
      history.forEach(m -> texts.add(m.path("text").asText()));
      List<String> expected = new ArrayList<>();
      for (int i = 5; i < 55; i++) {
        expected.add("message " + i);
      }
      assertThat(texts).containsExactlyElementsOf(expected);
      JsonNode first = history.get(0);
      assertThat(first.path("sender").path("id").asLong()).isEqualTo(alice.id());
      assertThat(first.path("sender").path("name").asText()).isEqualTo(alice.name());
      assertThat(first.path("roomId").asText()).isEqualTo(room);

      JsonNode update = a.next("room:member-update");
      assertThat(update.path("type").asText()).isEqualTo("joined");
      assertThat(update.path("userId").asLong()).isEqualTo(bob.id());
      assertThat(update.path("memberCount").asInt()).isEqualTo(2);
      assertThat(b.next("room:member-update").path("userId").asLong()).isEqualTo(bob.id());
    }
  }

  @Test
  void sendIsAcknowledgedAndBroadcastWithSenderReplyAndReadBy() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token()); TestClient b = app.connect(bob.token())) {
      join(a, room);
      join(b, room);
      long first = send(a, room, "  hello bob  ");
      JsonNode atBob = b.next("chat:message");
      assertThat(atBob.path("id").asLong()).isEqualTo(first);
      assertThat(atBob.path("text").asText()).isEqualTo("hello bob");
      assertThat(atBob.path("roomId").asText()).isEqualTo(room);
      assertThat(atBob.path("sender").path("name").asText()).isEqualTo(alice.name());
      assertThat(atBob.path("readBy").get(0).asLong()).isEqualTo(alice.id());
      assertThat(atBob.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
      assertThat(a.next("chat:message").path("id").asLong()).isEqualTo(first);

      JsonNode ack = b.ask("chat:send", Map.of("roomId", room, "text", "hi!", "replyToId", first));
      JsonNode reply = a.next("chat:message");
      assertThat(reply.path("id").asLong()).isEqualTo(ack.path("messageId").asLong());
      assertThat(reply.path("replyTo").path("id").asLong()).isEqualTo(first);
      assertThat(reply.path("replyTo").path("text").asText()).isEqualTo("hello bob");
      assertThat(reply.path("replyTo").path("senderId").asLong()).isEqualTo(alice.id());
    }
  }

  @Test
  void invalidSendsAreRefusedThroughTheAckOrAnErrorEvent() throws Exception {
    User alice = app.user("alice");
    String room = app.publicRoom(alice);
    String other = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token())) {
      join(a, room);
      join(a, other);
      long inOther = send(a, other, "elsewhere");
      Map<String, Object> tooLong = Map.of("roomId", room, "text", "x".repeat(2001));
      Map<String, Object> notText = Map.of("roomId", room, "text", 42);
      Map<String, Object> blank = Map.of("roomId", room, "text", "   ");
      Map<String, Object> noRoom = Map.of("text", "hello");
      Map<String, Object> badReply = Map.of("roomId", room, "text", "re", "replyToId", inOther);
      Map<String, Object> notJoined = Map.of("roomId", "general", "text", "hello");
      for (Object bad : List.of(tooLong, notText, blank, noRoom, badReply, notJoined, "just a string")) {
        JsonNode ack = a.ask("chat:send", bad);
        assertThat(ack.path("success").asBoolean()).as("%s", bad).isFalse();
        assertThat(ack.path("error").asText()).as("%s", bad).isNotBlank().doesNotContain("Exception");
      }
      assertThat(a.ask("chat:send", notJoined).path("code").asText()).isEqualTo("NOT_IN_ROOM");
      assertThat(a.ask("chat:send", badReply).path("code").asText()).isEqualTo("MESSAGE_NOT_FOUND");
      assertThat(a.ask("chat:send", Map.of("roomId", room, "text", "y".repeat(2000))).path("success").asBoolean()).isTrue();

      a.emit("chat:send", notText);
      JsonNode error = a.next("error");
      assertThat(error.path("event").asText()).isEqualTo("chat:send");
      assertThat(error.path("code").asText()).isEqualTo("INVALID_PAYLOAD");
    }
  }

  @Test
  void readReceiptsReachTheOthersAndArePersistedPerMember() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    User carol = app.user("carol");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token()); TestClient b = app.connect(bob.token())) {
      join(a, room);
      join(b, room);
      long m1 = send(a, room, "one");
      long m2 = send(a, room, "two");
      assertThat(b.ask("chat:read", Map.of("roomId", room, "lastReadMessageId", m1)).path("success").asBoolean()).isTrue();
      JsonNode receipt = a.next("chat:read-receipt");
      assertThat(receipt.path("userId").asLong()).isEqualTo(bob.id());
      assertThat(receipt.path("username").asText()).isEqualTo(bob.name());
      assertThat(receipt.path("roomId").asText()).isEqualTo(room);
      assertThat(receipt.path("lastReadMessageId").asLong()).isEqualTo(m1);
      assertThat(receipt.path("timestamp").asLong()).isPositive();
      assertThat(b.poll("chat:read-receipt", Duration.ofMillis(200))).isNull();

      assertThat(b.ask("chat:read", Map.of("roomId", room, "lastReadMessageId", 99_999_999)).path("code").asText())
          .isEqualTo("MESSAGE_NOT_FOUND");
      assertThat(b.ask("chat:read", Map.of("roomId", room, "lastReadMessageId", "abc")).path("success").asBoolean()).isFalse();

      try (TestClient c = app.connect(carol.token())) {
        JsonNode history = join(c, room);
        Map<Long, List<Long>> readBy = new HashMap<>();
        history.forEach(m -> {
          List<Long> ids = new ArrayList<>();
          m.path("readBy").forEach(id -> ids.add(id.asLong()));
          readBy.put(m.path("id").asLong(), ids);
        });
        assertThat(readBy.get(m1)).containsExactlyInAnyOrder(alice.id(), bob.id());
        assertThat(readBy.get(m2)).containsExactly(alice.id());
      }
    }
  }

  @Test
  void typingIsShownToTheOthersAndStopsByItselfAfterTheTimeout() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token()); TestClient b = app.connect(bob.token())) {
      join(a, room);
      join(b, room);
      long started = System.nanoTime();
      a.emit("chat:typing-start", Map.of("roomId", room));
      JsonNode typing = b.next("chat:user-typing");
      assertThat(typing.path("userId").asLong()).isEqualTo(alice.id());
      assertThat(typing.path("username").asText()).isEqualTo(alice.name());
      assertThat(typing.path("roomId").asText()).isEqualTo(room);
      JsonNode stopped = b.next("chat:user-stopped-typing");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
      assertThat(stopped.path("userId").asLong()).isEqualTo(alice.id());
      assertThat(a.pending("chat:user-typing")).isEmpty();

      a.emit("chat:typing-start", Map.of("roomId", room));
      b.next("chat:user-typing");
      a.emit("chat:typing-stop", Map.of("roomId", room));
      assertThat(b.next("chat:user-stopped-typing").path("userId").asLong()).isEqualTo(alice.id());
      assertThat(b.poll("chat:user-stopped-typing", Duration.ofMillis(600))).as("timer cancelled by the stop").isNull();
      assertThat(a.pending("chat:user-stopped-typing")).isEmpty();
    }
  }

  @Test
  void directMessagesReachEverySocketOfTheTargetOnly() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    try (TestClient a = app.connect(alice.token()); TestClient b1 = app.connect(bob.token());
         TestClient b2 = app.connect(bob.token())) {
      JsonNode ack = a.ask("user:direct-message", Map.of("targetId", bob.id(), "message", "psst"));
      assertThat(ack.path("success").asBoolean()).isTrue();
      for (TestClient b : List.of(b1, b2)) {
        JsonNode dm = b.next("chat:direct");
        assertThat(dm.path("fromUserId").asLong()).isEqualTo(alice.id());
        assertThat(dm.path("message").asText()).isEqualTo("psst");
      }
      assertThat(a.poll("chat:direct", Duration.ofMillis(200))).isNull();
      assertThat(a.ask("user:direct-message", Map.of("targetId", 987_654_321, "message", "hello")).path("code").asText())
          .isEqualTo("USER_NOT_FOUND");
      assertThat(a.ask("user:direct-message", Map.of("targetId", bob.id())).path("success").asBoolean()).isFalse();
    }
  }

  @Test
  void privateRoomsAdmitOnlyTheirMembers() throws Exception {
    User owner = app.user("owner");
    User member = app.user("member");
    User outsider = app.user("outsider");
    var r = app.post("/api/rooms", Map.of("name", "private", "isPrivate", true, "members", List.of(member.id())), owner.token());
    String room = TestApp.json(r).path("roomId").asText();
    try (TestClient m = app.connect(member.token()); TestClient o = app.connect(outsider.token())) {
      JsonNode refused = o.ask("room:join", room);
      assertThat(refused.path("success").asBoolean()).isFalse();
      assertThat(refused.path("code").asText()).isEqualTo("FORBIDDEN");
      assertThat(o.ask("chat:send", Map.of("roomId", room, "text", "let me in")).path("code").asText()).isEqualTo("NOT_IN_ROOM");
      assertThat(o.ask("room:join", Map.of("roomId", "no-such-room")).path("code").asText()).isEqualTo("ROOM_NOT_FOUND");
      join(m, room);
      assertThat(o.pending("room:history")).isEmpty();
    }
  }

  @Test
  void leavingAndDisconnectingAnnounceLeftToTheRoom() throws Exception {
    User alice = app.user("alice");
    User bob = app.user("bob");
    String room = app.publicRoom(alice);
    try (TestClient a = app.connect(alice.token())) {
      join(a, room);
      a.next("room:member-update");
      TestClient b = app.connect(bob.token());
      join(b, room);
      assertThat(a.next("room:member-update").path("type").asText()).isEqualTo("joined");
      assertThat(b.ask("room:leave", room).path("success").asBoolean()).isTrue();
      JsonNode left = a.next("room:member-update");
      assertThat(left.path("type").asText()).isEqualTo("left");
      assertThat(left.path("userId").asLong()).isEqualTo(bob.id());
      assertThat(left.path("memberCount").asInt()).isEqualTo(1);

      join(b, room);
      a.next("room:member-update");
      b.close();
      JsonNode gone = a.next("room:member-update");
      assertThat(gone.path("type").asText()).isEqualTo("left");
      assertThat(gone.path("userId").asLong()).isEqualTo(bob.id());
      assertThat(gone.path("reason").asText()).isEqualTo("disconnect");
      assertThat(gone.path("memberCount").asInt()).isEqualTo(1);
    }
  }

  @Test
  void badInputOnEveryEventHarmsNobody() throws Exception {
    User alice = app.user("alice");
    User mallory = app.user("mallory");
    String room = app.publicRoom(alice);
    List<String> events = List.of("room:join", "room:leave", "chat:send", "chat:read", "chat:typing-start",
        "chat:typing-stop", "user:direct-message", "notifications:read");
    List<Object> garbage = List.of(42, "", "x".repeat(100_000), List.of(1, 2), Map.of("roomId", 7),
        Map.of("roomId", List.of("a")), Map.of("roomId", "no-such-room", "text", Map.of("nested", true), "targetId", "abc",
            "lastReadMessageId", -3, "ids", "all"), Map.of("roomId", "r".repeat(5000)));
    try (TestClient a = app.connect(alice.token()); TestClient m = app.connect(mallory.token())) {
      join(a, room);
      for (String event : events) {
        for (Object g : garbage) {
          JsonNode ack = m.ask(event, g);
          assertThat(ack.path("success").asBoolean()).as("%s %s", event, g).isFalse();
          assertThat(ack.path("error").asText()).as("%s %s", event, g).isNotBlank().doesNotContain("at io.");
        }
        m.emit(event, null);
      }
      assertThat(m.isConnected()).isTrue();
      join(m, room);
      long id = send(a, room, "still fine");
      assertThat(m.next("chat:message").path("id").asLong()).isEqualTo(id);
    }
  }
}
