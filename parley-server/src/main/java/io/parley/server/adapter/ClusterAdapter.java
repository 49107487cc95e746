package io.parley.server.adapter;

import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter for a cluster of nodes, with the request/response protocol of socket.io's
 * {@code ClusterAdapter}. A backend (Redis, …) implements only {@link #doPublish},
 * {@link #doPublishResponse} and {@link #serverCount}, and hands what it receives to
 * {@link #onMessage}. Every operation is applied locally by the sender and remotely by the others;
 * messages from this node's own {@link #uid()} are ignored. Requests that expect answers
 * ({@code fetchSockets}, {@code serverSideEmitWithAck}) fail after their timeout when a node does
 * not answer; broadcasts with acks simply collect what comes within theirs.
 *
 * <pre>{@code
 * public final class BusAdapter extends ClusterAdapter {
 *   BusAdapter(Namespace nsp) {
 *     super(nsp);
 *     bus.subscribe(nsp.name(), bytes -> onMessage(decode(bytes)));    // every node's messages
 *     bus.subscribe(nsp.name() + "#" + uid(), bytes -> onMessage(decode(bytes)));  // answers to this node
 *   }
 *   protected void doPublish(ClusterMessage m) { bus.publish(namespace().name(), encode(m)); }
 *   protected void doPublishResponse(String requesterUid, ClusterMessage m) {
 *     bus.publish(namespace().name() + "#" + requesterUid, encode(m));
 *   }
 *   public CompletableFuture<Integer> serverCount() { return bus.subscriberCount(namespace().name()); }
 * }
 * }</pre>
 *
 * <p>{@link #onMessage} may be called from any thread; call it in the order the messages arrived, so
 * that each node's broadcasts keep their order. The futures this class returns complete on that
 * thread or on the server's timer; the API types hand them on to virtual threads.
 */
public abstract class ClusterAdapter extends Adapter {
  private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long a request waits for the other nodes by default, as in the reference. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String uid = randomId();
  private final Map<String, Request> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  /** The server's Jackson mapper, for the JSON trees of messages. */
  protected final ObjectMapper mapper;

  private static final class Request {
    final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();
    final List<JsonNode> responses = new ArrayList<>();
    final int expected;
    int current;
    ScheduledFuture<?> timer;

    Request(int expected) {
      this.expected = expected;
    }
  }

  private record AckRequest(IntConsumer clientCount, Consumer<Args> ack) {}

  /**
   * A cluster adapter for {@code nsp}, with a new random {@link #uid()}.
   *
   * @param nsp the namespace this adapter serves
   */
  protected ClusterAdapter(Namespace nsp) {
    super(nsp);
    this.mapper = INTERNALS.codec(nsp).mapper();
  }

  /**
   * 16 random hex characters, as the reference's server and request ids.
   *
   * @return a new id
   */
  public static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** This node's id in the cluster (per namespace adapter): the {@code uid} of the messages it sends. */
  public String uid() {
    return uid;
  }

  /**
   * Sends a message to every other node (it may reach this one too: {@link #onMessage} drops it).
   * Called on the thread of the operation (a handler, an event loop, a backend's thread): must not
   * block the caller for long. An exception is logged and the message is lost.
   *
   * @param message the message
   */
  protected abstract void doPublish(ClusterMessage message);

  /**
   * Sends a response to the node {@code requesterUid}, which hands it to its {@link #onMessage}.
   * Called on the thread that handles the request; must not block for long.
   *
   * @param requesterUid the {@link #uid()} of the node that made the request
   * @param response the response
   */
  protected abstract void doPublishResponse(String requesterUid, ClusterMessage response);

  /**
   * Number of nodes in the cluster, this one included: requests wait for that many answers, less
   * one.
   *
   * @return completes with the count
   */
  @Override
  public abstract CompletableFuture<Integer> serverCount();

  private void publish(ClusterMessage.Type type, ObjectNode data) {
    try {
      doPublish(new ClusterMessage(uid, nsp.name(), type, data));
    } catch (RuntimeException e) {
      log.warn("cluster publish of {} failed: {}", type, e.toString());
    }
  }

  private void publishResponse(String requester, ClusterMessage.Type type, ObjectNode data) {
    try {
      doPublishResponse(requester, new ClusterMessage(uid, nsp.name(), type, data));
    } catch (RuntimeException e) {
      log.warn("cluster response {} failed: {}", type, e.toString());
    }
  }

  // ---- encoding of options and packets ----

  /**
   * socket.io's serialised {@code BroadcastOptions}: {@code {rooms, except, flags}}, flags only
   * when set. The classic Redis format uses it too.
   *
   * @param opts the options
   * @return a new JSON object
   */
  public static ObjectNode encodeOptions(BroadcastOptions opts) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode rooms = o.putArray("rooms");
    opts.rooms().forEach(rooms::add);
    ArrayNode except = o.putArray("except");
    opts.except().forEach(except::add);
    ObjectNode flags = o.putObject("flags");
    BroadcastOptions.Flags f = opts.flags();
    if (f.volatileFlag()) {
      flags.put("volatile", true);
    }
    if (!f.compress()) {
      flags.put("compress", false);
    }
    if (f.local()) {
      flags.put("local", true);
    }
    if (f.timeout() != null) {
      flags.put("timeout", f.timeout().toMillis());
    }
    return o;
  }

  /**
   * The inverse of {@link #encodeOptions}; missing parts mean "all" and default flags.
   *
   * @param o the JSON object, or null
   * @return the options
   */
  public static BroadcastOptions decodeOptions(JsonNode o) {
    Set<String> rooms = new HashSet<>();
    Set<String> except = new HashSet<>();
    if (o != null) {
      o.path("rooms").forEach(r -> rooms.add(r.asText()));
      o.path("except").forEach(r -> except.add(r.asText()));
    }
    JsonNode f = o == null ? null : o.get("flags");
    BroadcastOptions.Flags flags = BroadcastOptions.Flags.NONE;
    if (f != null && f.isObject()) {
      flags = new BroadcastOptions.Flags(f.path("volatile").asBoolean(false), f.path("compress").asBoolean(true),
          f.path("local").asBoolean(false), f.hasNonNull("timeout") ? Duration.ofMillis(f.get("timeout").asLong()) : null);
    }
    return new BroadcastOptions(rooms, except, flags);
  }

  /**
   * The Socket.IO packet {@code {type: 2, data: [event, ...args]}} of a broadcast.
   *
   * @param data the event name then its arguments
   * @return a new JSON object
   */
  protected ObjectNode eventPacket(Object[] data) {
    ObjectNode p = mapper.createObjectNode();
    p.put("type", 2);
    p.set("data", mapper.valueToTree(data));
    return p;
  }

  /**
   * The {@code [event, ...args]} of a packet {@code {type: 2, data}} received from another node.
   *
   * @param packet the packet
   * @return its data, each element a JSON tree
   */
  protected static Object[] eventData(JsonNode packet) {
    JsonNode d = packet.path("data");
    Object[] out = new Object[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(i);
    }
    return out;
  }

  // ---- receiving ----

  /**
   * Handles a message from another node (or a response addressed to this one): the backend calls it
   * for everything it receives. Messages from this node and for other namespaces are ignored;
   * requests are applied to this node's sockets, and answered through {@link #doPublishResponse}.
   *
   * @param m the message
   */
  protected void onMessage(ClusterMessage m) {
    if (uid.equals(m.uid())) {
      return;
    }
    if (m.nsp() != null && !m.nsp().equals(nsp.name())) {
      return;
    }
    if (m.type().isResponse()) {
      onResponse(m);
      return;
    }
    ObjectNode d = m.data();
    switch (m.type()) {
      case BROADCAST -> {
        BroadcastOptions opts = decodeOptions(d.get("opts"));
        Object[] data = eventData(d.path("packet"));
        if (d.hasNonNull("requestId")) {
          String requestId = d.get("requestId").asText();
          int count = broadcastWithAckLocal(data, opts, reply -> {
            ObjectNode r = mapper.createObjectNode().put("requestId", requestId);
            r.set("packet", reply.isEmpty() ? null : reply.get(0));
            publishResponse(m.uid(), ClusterMessage.Type.BROADCAST_ACK, r);
          });
          publishResponse(m.uid(), ClusterMessage.Type.BROADCAST_CLIENT_COUNT,
              mapper.createObjectNode().put("requestId", requestId).put("clientCount", count));
        } else {
          broadcastLocal(data, opts);
        }
      }
      case SOCKETS_JOIN -> super.addSockets(decodeOptions(d.get("opts")), strings(d.get("rooms")));
      case SOCKETS_LEAVE -> super.delSockets(decodeOptions(d.get("opts")), strings(d.get("rooms")));
      case DISCONNECT_SOCKETS -> super.disconnectSockets(decodeOptions(d.get("opts")), d.path("close").asBoolean(false));
      case FETCH_SOCKETS -> {
        String requestId = d.path("requestId").asText();
        List<RemoteSocket> local = super.fetchSockets(decodeOptions(d.get("opts"))).join();
        ObjectNode r = mapper.createObjectNode().put("requestId", requestId);
        ArrayNode sockets = r.putArray("sockets");
        for (RemoteSocket s : local) {
          sockets.add(s.toJson(mapper));
        }
        publishResponse(m.uid(), ClusterMessage.Type.FETCH_SOCKETS_RESPONSE, r);
      }
      case SERVER_SIDE_EMIT -> {
        JsonNode packet = d.path("packet");
        if (!packet.isArray() || packet.isEmpty()) {
          return;
        }
        String event = packet.get(0).asText();
        List<JsonNode> args = new ArrayList<>();
        for (int i = 1; i < packet.size(); i++) {
          args.add(packet.get(i));
        }
        Ack ack = Ack.NONE;
        if (d.hasNonNull("requestId")) {
          String requestId = d.get("requestId").asText();
          ack = new Ack() {
            private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void send(Object... reply) {
              if (sent.compareAndSet(false, true)) {
                ObjectNode r = mapper.createObjectNode().put("requestId", requestId);
                r.set("packet", reply.length == 0 ? null : mapper.valueToTree(reply[0]));
                publishResponse(m.uid(), ClusterMessage.Type.SERVER_SIDE_EMIT_RESPONSE, r);
              }
            }

            @Override
            public boolean requested() {
              return true;
            }
          };
        }
        nsp.onServerSideEmit(event, Args.of(args, mapper), ack);
      }
      default -> log.debug("ignoring cluster message {}", m.type());
    }
  }

  private static Set<String> strings(JsonNode arr) {
    Set<String> out = new HashSet<>();
    if (arr != null) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /**
   * Handles an answer to one of this node's requests (unknown or late ones are ignored); called by
   * {@link #onMessage}.
   *
   * @param m the response
   */
  protected void onResponse(ClusterMessage m) {
    ObjectNode d = m.data();
    String requestId = d.path("requestId").asText();
    switch (m.type()) {
      case BROADCAST_CLIENT_COUNT -> {
        AckRequest r = ackRequests.get(requestId);
        if (r != null) {
          r.clientCount().accept(d.path("clientCount").asInt());
        }
      }
      case BROADCAST_ACK -> {
        AckRequest r = ackRequests.get(requestId);
        if (r != null) {
          JsonNode p = d.get("packet");
          r.ack().accept(Args.of(p == null ? List.of() : List.of(p), mapper));
        }
      }
      case FETCH_SOCKETS_RESPONSE -> respond(requestId, d.path("sockets"), true);
      case SERVER_SIDE_EMIT_RESPONSE -> respond(requestId, d.get("packet"), false);
      default -> { }
    }
  }

  private void respond(String requestId, JsonNode payload, boolean spread) {
    Request r = requests.get(requestId);
    if (r == null) {
      return;
    }
    synchronized (r) {
      if (spread) {
        payload.forEach(r.responses::add);
      } else {
        r.responses.add(payload);
      }
      r.current++;
      if (r.current < r.expected) {
        return;
      }
    }
    requests.remove(requestId);
    r.timer.cancel(false);
    r.result.complete(List.copyOf(r.responses));
  }

  private CompletableFuture<List<JsonNode>> request(ClusterMessage.Type type, ObjectNode data, int expected,
      Duration timeout) {
    String requestId = randomId();
    data.put("requestId", requestId);
    Request r = new Request(expected);
    requests.put(requestId, r);
    r.timer = INTERNALS.scheduler(nsp.server()).schedule(() -> {
      if (requests.remove(requestId) != null) {
        int current;
        synchronized (r) {
          current = r.current;
        }
        r.result.completeExceptionally(new TimeoutException(
            "timeout reached: only " + current + " responses received out of " + r.expected));
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    publish(type, data);
    return r.result;
  }

  // ---- operations ----

  @Override
  public void broadcast(Object[] data, BroadcastOptions opts) {
    if (!opts.flags().local()) {
      ObjectNode d = mapper.createObjectNode();
      d.set("packet", eventPacket(data));
      d.set("opts", encodeOptions(opts));
      publish(ClusterMessage.Type.BROADCAST, d);
    }
    broadcastLocal(data, opts);
  }

  @Override
  public void broadcastWithAck(Object[] data, BroadcastOptions opts, IntConsumer clientCount, Consumer<Args> ack) {
    if (!opts.flags().local()) {
      String requestId = randomId();
      ackRequests.put(requestId, new AckRequest(clientCount, ack));
      ObjectNode d = mapper.createObjectNode();
      d.set("packet", eventPacket(data));
      d.put("requestId", requestId);
      d.set("opts", encodeOptions(opts));
      publish(ClusterMessage.Type.BROADCAST, d);
      Duration t = opts.flags().timeout() == null ? DEFAULT_TIMEOUT : opts.flags().timeout();
      INTERNALS.scheduler(nsp.server()).schedule(() -> ackRequests.remove(requestId), t.toMillis(), TimeUnit.MILLISECONDS);
    }
    clientCount.accept(broadcastWithAckLocal(data, opts, ack));
  }

  @Override
  public void addSockets(BroadcastOptions opts, Set<String> rooms) {
    if (!opts.flags().local()) {
      ObjectNode d = mapper.createObjectNode();
      d.set("opts", encodeOptions(opts));
      ArrayNode r = d.putArray("rooms");
      rooms.forEach(r::add);
      publish(ClusterMessage.Type.SOCKETS_JOIN, d);
    }
    super.addSockets(opts, rooms);
  }

  @Override
  public void delSockets(BroadcastOptions opts, Set<String> rooms) {
    if (!opts.flags().local()) {
      ObjectNode d = mapper.createObjectNode();
      d.set("opts", encodeOptions(opts));
      ArrayNode r = d.putArray("rooms");
      rooms.forEach(r::add);
      publish(ClusterMessage.Type.SOCKETS_LEAVE, d);
    }
    super.delSockets(opts, rooms);
  }

  @Override
  public void disconnectSockets(BroadcastOptions opts, boolean close) {
    if (!opts.flags().local()) {
      ObjectNode d = mapper.createObjectNode();
      d.set("opts", encodeOptions(opts));
      d.put("close", close);
      publish(ClusterMessage.Type.DISCONNECT_SOCKETS, d);
    }
    super.disconnectSockets(opts, close);
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    List<RemoteSocket> local = super.fetchSockets(opts).join();
    if (opts.flags().local()) {
      return CompletableFuture.completedFuture(local);
    }
    return serverCount().thenCompose(count -> {
      if (count <= 1) {
        return CompletableFuture.completedFuture(local);
      }
      ObjectNode d = mapper.createObjectNode();
      d.set("opts", encodeOptions(opts));
      Duration t = opts.flags().timeout() == null ? DEFAULT_TIMEOUT : opts.flags().timeout();
      return request(ClusterMessage.Type.FETCH_SOCKETS, d, count - 1, t).thenApply(remote -> {
        List<RemoteSocket> all = new ArrayList<>(local);
        for (JsonNode s : remote) {
          all.add(RemoteSocket.fromJson(s, nsp, mapper));
        }
        return all;
      });
    });
  }

  @Override
  public void serverSideEmit(Object[] data) {
    ObjectNode d = mapper.createObjectNode();
    d.set("packet", mapper.valueToTree(data));
    publish(ClusterMessage.Type.SERVER_SIDE_EMIT, d);
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    return serverCount().thenCompose(count -> {
      if (count <= 1) {
        return CompletableFuture.completedFuture(List.<Args>of());
      }
      ObjectNode d = mapper.createObjectNode();
      d.set("packet", mapper.valueToTree(data));
      return request(ClusterMessage.Type.SERVER_SIDE_EMIT, d, count - 1, timeout).thenApply(replies -> {
        List<Args> out = new ArrayList<>();
        for (JsonNode r : replies) {
          out.add(Args.of(r == null ? List.of() : List.of(r), mapper));
        }
        return out;
      });
    });
  }
}
