package io.parley.netty.client;

import static io.parley.netty.client.ClientKit.ack;
import static io.parley.netty.client.ClientKit.await;
import static io.parley.netty.client.ClientKit.binary;
import static io.parley.netty.client.ClientKit.bytes;
import static io.parley.netty.client.ClientKit.connect;
import static io.parley.netty.client.ClientKit.fromClient;
import static io.parley.netty.client.ClientKit.json;
import static io.parley.netty.client.ClientKit.jsonObject;
import static io.parley.netty.client.ClientKit.poll;
import static io.parley.netty.client.ClientKit.serverSocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.client.ClientKit.Transport;
import io.parley.server.AckTimeoutException;
import io.parley.server.Args;
import io.socket.client.Ack;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class AcknowledgementsTest {
  @RegisterExtension
  final ClientKit kit = new ClientKit();

  /** A client that answers {@code question} by acking {@code reply} (or never, when null). */
  private Socket answering(TestServer server, Transport transport, Object... reply) {
    Socket client = kit.socket(server, transport, "/");
    client.on("question", args -> {
      if (reply.length > 0 && args[args.length - 1] instanceof Ack ack) {
        ack.call(reply);
      }
    });
    return connect(client);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerAnswersAClientEmitWithAck(Transport transport) {
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("sum", (args, ack) -> {
      assertThat(ack.requested()).isTrue();
      ack.send(args.get(0).asInt() + args.get(1).asInt(), "sum", null, json("{'ok':true}"));
    })));
    Socket client = kit.connect(server, transport);

    CompletableFuture<Object[]> reply = new CompletableFuture<>();
    client.emit("sum", new Object[] {2, 40}, ack(reply));

    assertThat(fromClient(await(reply))).containsExactly(json("42"), json("'sum'"), json("null"), json("{'ok':true}"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAckWithoutArgumentsAndAnAckWithBinaryReachTheClient(Transport transport) {
    TestServer server = kit.server(io -> io.onConnection(s -> {
      s.on("nothing", (args, ack) -> ack.send());
      s.on("bytes", (args, ack) -> ack.send(bytes(1, 2), json("{'k':'v'}")));
    }));
    Socket client = kit.connect(server, transport);

    CompletableFuture<Object[]> empty = new CompletableFuture<>();
    CompletableFuture<Object[]> withBinary = new CompletableFuture<>();
    client.emit("nothing", new Object[0], ack(empty));
    client.emit("bytes", new Object[0], ack(withBinary));

    assertThat(await(empty)).isEmpty();
    assertThat(fromClient(await(withBinary))).containsExactly(binary(1, 2), json("{'k':'v'}"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anEmitWithoutAckGivesTheListenerAnAckThatWasNotRequested(Transport transport) {
    CompletableFuture<Boolean> requested = new CompletableFuture<>();
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("fire", (args, ack) -> {
      ack.send("ignored");
      requested.complete(ack.requested());
    })));
    Socket client = kit.connect(server, transport);

    client.emit("fire", 1);

    assertThat(await(requested)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSecondAckSendIsIgnored(Transport transport) {
    TestServer server = kit.server(io -> io.onConnection(s -> s.on("twice", (args, ack) -> {
      ack.send("first");
      ack.send("second");
      s.emit("done");
    })));
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<Object[]> all = ClientKit.recordAll(client);
    connect(client);

    BlockingQueue<Object[]> replies = new LinkedBlockingQueue<>();
    client.emit("twice", new Object[0], replies::add);

    assertThat(poll(all)).containsExactly("done");
    // the ack packet was written before "done", so every ack the client got is in by now
    assertThat(replies).hasSize(1);
    assertThat(replies.peek()).containsExactly("first");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientAnswersAServerEmitWithAck(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = kit.socket(server, transport, "/");
    BlockingQueue<List<JsonNode>> questions = new LinkedBlockingQueue<>();
    client.on("question", args -> {
      questions.add(fromClient(args));
      ((Ack) args[args.length - 1]).call("answer", 42, jsonObject("{'nested':[1,null]}"), bytes(3, 4));
    });
    connect(client);

    Args reply = await(serverSocket(server, client).timeout(Duration.ofSeconds(5)).emitWithAck("question", "why", 1));

    assertThat(poll(questions)).containsExactly(json("'why'"), json("1"));
    assertThat(reply.asList()).containsExactly(json("'answer'"), json("42"), json("{'nested':[1,null]}"), binary(3, 4));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void emitWithAckWithoutTimeoutCompletesWhenTheClientAnswers(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = answering(server, transport, "yes");

    Args reply = await(serverSocket(server, client).emitWithAck("question"));

    assertThat(reply.asList()).containsExactly(json("'yes'"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void emitWithAckTimesOutWhenTheClientNeverAnswers(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket client = answering(server, transport);

    long start = System.nanoTime();
    CompletableFuture<Args> reply = serverSocket(server, client).timeout(Duration.ofMillis(300)).emitWithAck("question");

    assertThat(reply).failsWithin(ClientKit.WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(AckTimeoutException.class).withMessage("operation has timed out");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastWithAckCollectsOneReplyPerClient(Transport transport) {
    TestServer server = kit.server(io -> { });
    answering(server, transport, "a");
    answering(server, transport, "b");
    answering(server, transport, "c");

    List<Args> replies = await(server.io().timeout(Duration.ofSeconds(5)).emitWithAck("question", 1));

    assertThat(replies).map(r -> r.get(0).textValue()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(replies).allSatisfy(r -> assertThat(r.size()).isEqualTo(1));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastWithAckToARoomOnlyWaitsForItsMembers(Transport transport) {
    TestServer server = kit.server(io -> { });
    Socket inRoom = answering(server, transport, "member");
    answering(server, transport);
    serverSocket(server, inRoom).join("room");

    List<Args> replies = await(server.io().to("room").timeout(Duration.ofSeconds(5)).emitWithAck("question"));

    assertThat(replies).map(r -> r.get(0).textValue()).containsExactly("member");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastWithAckThatTimesOutKeepsTheRepliesThatCame(Transport transport) {
    TestServer server = kit.server(io -> { });
    answering(server, transport, "fast-1");
    answering(server, transport, "fast-2");
    answering(server, transport);

    CompletableFuture<List<Args>> replies = server.io().timeout(Duration.ofMillis(1000)).emitWithAck("question");

    Throwable failure = catchThrowable(() -> replies.get(ClientKit.WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(failure).isInstanceOf(ExecutionException.class);
    Throwable cause = failure.getCause();
    assertThat(cause).isInstanceOf(AckTimeoutException.class);
    assertThat(((AckTimeoutException) cause).partial())
        .map(r -> r.get(0).textValue()).containsExactlyInAnyOrder("fast-1", "fast-2");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBroadcastWithAckToNobodyCompletesWithAnEmptyList(Transport transport) {
    TestServer server = kit.server(io -> { });
    answering(server, transport, "x");

    List<Args> replies = await(server.io().to("empty-room").timeout(Duration.ofSeconds(5)).emitWithAck("question"));

    assertThat(replies).isEmpty();
  }
}
