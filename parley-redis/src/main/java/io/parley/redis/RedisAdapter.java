package io.parley.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.redis.internal.Ids;
import io.parley.redis.internal.Msgpack;
import io.parley.redis.internal.RedisLink;
import io.parley.server.Ack;
import io.parley.server.adapter.Adapter;
import io.parley.server.Args;
import io.parley.server.adapter.BroadcastOptions;
import io.parley.server.adapter.ClusterAdapter;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.Socket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic Redis adapter, wire-compatible with {@code createAdapter} of
 * {@code @socket.io/redis-adapter} 8 and with {@code @socket.io/redis-emitter}: Node servers,
 * emitters and Parley servers sharing a Redis and a {@link RedisAdapterOptions#key() key} form one
 * cluster.
 *
 * <p>Channels of namespace {@code nsp} with key {@code k}: broadcasts on {@code k#nsp#} (or
 * {@code k#nsp#room#} when aimed at exactly one room), received with {@code PSUBSCRIBE k#nsp#*};
 * requests on {@code k-request#nsp#}; responses on {@code k-response#nsp#} (and, with
 * {@code publishOnSpecificResponseChannel}, on {@code k-response#nsp#<uid>#}). Broadcasts are
 * MessagePack {@code [uid, packet, opts]}; requests are JSON except a broadcast with acks.
 * The number of servers is {@code PUBSUB NUMSUB k-request#nsp#}.
 *
 * <p>A room operation ({@code socketsJoin}, {@code socketsLeave}, {@code disconnectSockets}) is
 * applied here at once and by every other server when its request arrives; this server ignores its
 * own request, so each server applies it exactly once. Messages are handled on the server's Redis
 * delivery thread; futures returned to callers complete on virtual threads.
 */
public final class RedisAdapter extends Adapter {
  private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Request types of the classic adapter ({@code RequestType} in its source). */
  enum RequestType {
    SOCKETS, ALL_ROOMS, REMOTE_JOIN, REMOTE_LEAVE, REMOTE_DISCONNECT, REMOTE_FETCH, SERVER_SIDE_EMIT, BROADCAST,
    BROADCAST_CLIENT_COUNT, BROADCAST_ACK;

    int code() {
      return ordinal();
    }

    static RequestType of(int code) {
      return code >= 0 && code < values().length ? values()[code] : null;
    }
  }

  /** A request waiting for the other servers; confined to the delivery thread. */
  private static final class Request {
    final RequestType type;
    final int expected;
    final List<JsonNode> items = new ArrayList<>();
    final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();
    int received;
    ScheduledFuture<?> timer;

    Request(RequestType type, int expected) {
      this.type = type;
      this.expected = expected;
    }
  }

  private record AckRequest(IntConsumer clientCount, Consumer<Args> ack) {}

  private final RedisLink link;
  private final RedisAdapterOptions options;
  private final Runnable release;
  private final ObjectMapper mapper;
  private final String uid = Ids.uid2(6);
  private final String channel;
  private final String requestChannel;
  private final String responseChannel;
  private final String specificResponseChannel;
  private final Map<String, Request> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();

  RedisAdapter(Namespace nsp, RedisLink link, RedisAdapterOptions options, Runnable release) {
    super(nsp);
    this.link = link;
    this.options = options;
    this.release = release;
    this.mapper = nsp.server().options().mapper();
    String key = options.key();
    this.channel = key + "#" + nsp.name() + "#";
    this.requestChannel = key + "-request#" + nsp.name() + "#";
    this.responseChannel = key + "-response#" + nsp.name() + "#";
    this.specificResponseChannel = responseChannel + uid + "#";
  }

  /** This adapter's id in the cluster (6 characters). */
  public String uid() {
    return uid;
  }

  /** Completes once the subscriptions of this namespace are active. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** The {@code CLIENT ID}s of this server's publishing and subscribed connections. */
  public CompletableFuture<List<Long>> redisClientIds() {
    return link.clientIds();
  }

  @Override
  public void init() {
    ready = link.handOff(CompletableFuture.allOf(
        link.psubscribe(globEscape(channel) + "*", this::onBroadcast),
        link.subscribe(requestChannel, (c, m) -> onRequest(m)),
        link.subscribe(responseChannel, (c, m) -> onResponse(m)),
        link.subscribe(specificResponseChannel, (c, m) -> onResponse(m))));
  }

  @Override
  public void close() {
    link.punsubscribe(globEscape(channel) + "*");
    link.unsubscribe(requestChannel);
    link.unsubscribe(responseChannel);
    link.unsubscribe(specificResponseChannel);
    super.close(); // the recovery store, if any
    release.run();
  }

  /** {@code PUBSUB NUMSUB} of the request channel: every server subscribes to it once. */
  @Override
  public CompletableFuture<Integer> serverCount() {
    return link.handOff(link.numsub(requestChannel));
  }

  // ---- operations ----

  @Override
  public void broadcast(Object[] data, BroadcastOptions opts) {
    if (!opts.flags().local()) {
      ArrayNode msg = NODES.arrayNode();
      msg.add(uid);
      msg.add(packet(data));
      msg.add(encodeOptions(opts, true));
      String target = opts.rooms().size() == 1 ? channel + opts.rooms().iterator().next() + "#" : channel;
      link.publish(target, Msgpack.encode(msg));
    }
    broadcastLocal(data, opts);
  }

  @Override
  public void broadcastWithAck(Object[] data, BroadcastOptions opts, IntConsumer clientCount, Consumer<Args> ack) {
    if (!opts.flags().local()) {
      String requestId = Ids.uid2(6);
      ackRequests.put(requestId, new AckRequest(clientCount, ack));
      ObjectNode req = NODES.objectNode();
      req.put("uid", uid);
      req.put("requestId", requestId);
      req.put("type", RequestType.BROADCAST.code());
      req.set("packet", packet(data));
      req.set("opts", encodeOptions(opts, true));
      link.publish(requestChannel, Msgpack.encode(req));
      Duration t = opts.flags().timeout() == null ? options.requestsTimeout() : opts.flags().timeout();
      link.executor().schedule(() -> ackRequests.remove(requestId), t.toMillis(), TimeUnit.MILLISECONDS);
    }
    clientCount.accept(broadcastWithAckLocal(data, opts, ack));
  }

  @Override
  public void addSockets(BroadcastOptions opts, Set<String> rooms) {
    if (!opts.flags().local()) {
      publishRoomRequest(RequestType.REMOTE_JOIN, opts, rooms);
    }
    super.addSockets(opts, rooms);
  }

  @Override
  public void delSockets(BroadcastOptions opts, Set<String> rooms) {
    if (!opts.flags().local()) {
      publishRoomRequest(RequestType.REMOTE_LEAVE, opts, rooms);
    }
    super.delSockets(opts, rooms);
  }

  private void publishRoomRequest(RequestType type, BroadcastOptions opts, Set<String> rooms) {
    ObjectNode req = request(type);
    req.set("opts", encodeOptions(opts, false));
    ArrayNode r = req.putArray("rooms");
    rooms.forEach(r::add);
    link.publish(requestChannel, json(req));
  }

  @Override
  public void disconnectSockets(BroadcastOptions opts, boolean close) {
    if (!opts.flags().local()) {
      ObjectNode req = request(RequestType.REMOTE_DISCONNECT);
      req.set("opts", encodeOptions(opts, false));
      req.put("close", close);
      link.publish(requestChannel, json(req));
    }
    super.disconnectSockets(opts, close);
  }

  /**
   * The matching sockets of every server. Waits for each other server within the operation's
   * timeout ({@code io.timeout(d).fetchSockets()}) or {@code requestsTimeout}, and fails with a
   * {@link TimeoutException} when one does not answer.
   */
  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    List<RemoteSocket> local = super.fetchSockets(opts).join();
    if (opts.flags().local()) {
      return CompletableFuture.completedFuture(local);
    }
    ObjectNode req = request(RequestType.REMOTE_FETCH);
    req.set("opts", encodeOptions(opts, false));
    Duration t = opts.flags().timeout() == null ? options.requestsTimeout() : opts.flags().timeout();
    return link.handOff(ask(RequestType.REMOTE_FETCH, req, t).thenApply(remote -> {
      List<RemoteSocket> all = new ArrayList<>(local);
      remote.forEach(s -> all.add(RemoteSocket.fromJson(s, nsp, mapper)));
      return all;
    }));
  }

  /** The rooms of every server ({@code allRooms()} of the reference), within {@code requestsTimeout}. */
  public CompletableFuture<Set<String>> fetchAllRooms() {
    Set<String> local = allRooms();
    return link.handOff(ask(RequestType.ALL_ROOMS, request(RequestType.ALL_ROOMS), options.requestsTimeout())
        .thenApply(remote -> {
          Set<String> all = new HashSet<>(local);
          remote.forEach(r -> all.add(r.asText()));
          return Set.copyOf(all);
        }));
  }

  @Override
  public void serverSideEmit(Object[] data) {
    ObjectNode req = request(RequestType.SERVER_SIDE_EMIT);
    req.set("data", mapper.valueToTree(data));
    link.publish(requestChannel, json(req));
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    ObjectNode req = request(RequestType.SERVER_SIDE_EMIT);
    req.set("data", mapper.valueToTree(data));
    return link.handOff(ask(RequestType.SERVER_SIDE_EMIT, req, timeout).thenApply(replies -> {
      List<Args> out = new ArrayList<>();
      for (JsonNode r : replies) {
        out.add(Args.of(r == null ? List.of() : List.of(r), mapper));
      }
      return out;
    }));
  }

  private ObjectNode request(RequestType type) {
    ObjectNode req = NODES.objectNode();
    req.put("uid", uid);
    req.put("type", type.code());
    return req;
  }

  /**
   * Publishes a request that every other server answers, and collects the answers (spread for
   * list answers). Runs on the delivery thread from the server count on.
   */
  private CompletableFuture<List<JsonNode>> ask(RequestType type, ObjectNode req, Duration timeout) {
    return link.numsub(requestChannel).thenCompose(numSub -> {
      int expected = numSub - 1;
      if (expected <= 0) {
        return CompletableFuture.completedFuture(List.of());
      }
      String requestId = Ids.uid2(6);
      req.put("requestId", requestId);
      Request r = new Request(type, expected);
      requests.put(requestId, r);
      r.timer = link.executor().schedule(() -> {
        if (requests.remove(requestId) != null) {
          r.result.completeExceptionally(new TimeoutException(
              "timeout reached: only " + r.received + " responses received out of " + r.expected));
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      link.publish(requestChannel, json(req));
      return r.result;
    });
  }

  // ---- receiving ----

  /** A broadcast from another server (or an emitter), on {@code k#nsp#} or a room channel. */
  private void onBroadcast(String fromChannel, byte[] raw) {
    if (!fromChannel.startsWith(channel)) {
      return;
    }
    String room = fromChannel.length() > channel.length()
        ? fromChannel.substring(channel.length(), fromChannel.length() - 1) : "";
    if (!room.isEmpty() && !hasRoom(room)) {
      return;
    }
    JsonNode msg;
    try {
      msg = Msgpack.decode(raw);
    } catch (IOException e) {
      log.debug("ignoring a malformed broadcast on {}: {}", fromChannel, e.toString());
      return;
    }
    if (!msg.isArray() || msg.size() < 3 || uid.equals(msg.get(0).asText())) {
      return;
    }
    JsonNode packet = msg.get(1);
    if (!packet.isObject() || !nsp.name().equals(packet.path("nsp").asText("/"))) {
      return;
    }
    broadcastLocal(eventData(packet), decodeOptions(msg.get(2)));
  }

  /** A request from another server, an emitter, or this server (ignored where it must be). */
  private void onRequest(byte[] raw) {
    JsonNode req = parse(raw);
    if (req == null || !req.isObject()) {
      return;
    }
    RequestType type = RequestType.of(req.path("type").asInt(-1));
    if (type == null) {
      log.debug("ignoring a request of unknown type {}", req.get("type"));
      return;
    }
    String requestId = req.path("requestId").asText(null);
    String from = req.path("uid").asText(null);
    boolean mine = uid.equals(from);
    switch (type) {
      case SOCKETS -> {
        if (requestId == null || requests.containsKey(requestId)) {
          return;
        }
        ObjectNode res = NODES.objectNode().put("requestId", requestId);
        ArrayNode ids = res.putArray("sockets");
        sockets(strings(req.get("rooms"))).forEach(ids::add);
        publishResponse(from, json(res));
      }
      case ALL_ROOMS -> {
        if (requestId == null || requests.containsKey(requestId)) {
          return;
        }
        ObjectNode res = NODES.objectNode().put("requestId", requestId);
        ArrayNode rooms = res.putArray("rooms");
        allRooms().forEach(rooms::add);
        publishResponse(from, json(res));
      }
      case REMOTE_JOIN, REMOTE_LEAVE, REMOTE_DISCONNECT -> onRoomRequest(type, req, mine, from);
      case REMOTE_FETCH -> {
        if (requestId == null || requests.containsKey(requestId)) {
          return;
        }
        ObjectNode res = NODES.objectNode().put("requestId", requestId);
        ArrayNode sockets = res.putArray("sockets");
        for (RemoteSocket s : super.fetchSockets(decodeOptions(req.get("opts"))).join()) {
          sockets.add(s.toJson(mapper));
        }
        publishResponse(from, json(res));
      }
      case SERVER_SIDE_EMIT -> {
        if (!mine) {
          onServerSideEmit(req.path("data"), requestId);
        }
      }
      case BROADCAST -> {
        if (requestId != null && !ackRequests.containsKey(requestId)) {
          onBroadcastWithAck(req, requestId, from);
        }
      }
      case BROADCAST_CLIENT_COUNT, BROADCAST_ACK -> log.debug("ignoring a response on the request channel");
    }
  }

  private void onRoomRequest(RequestType type, JsonNode req, boolean mine, String from) {
    if (req.has("opts")) {
      if (mine) {
        return; // applied when it was sent
      }
      BroadcastOptions opts = decodeOptions(req.get("opts"));
      switch (type) {
        case REMOTE_JOIN -> super.addSockets(opts, strings(req.get("rooms")));
        case REMOTE_LEAVE -> super.delSockets(opts, strings(req.get("rooms")));
        default -> super.disconnectSockets(opts, req.path("close").asBoolean(false));
      }
      return;
    }
    // The legacy single-socket form, answered so that its sender can resolve.
    Socket s = nsp.sockets().get(req.path("sid").asText(""));
    if (s == null) {
      return;
    }
    switch (type) {
      case REMOTE_JOIN -> s.join(req.path("room").asText());
      case REMOTE_LEAVE -> s.leave(req.path("room").asText());
      default -> s.disconnect(req.path("close").asBoolean(false));
    }
    publishResponse(from, json(NODES.objectNode().put("requestId", req.path("requestId").asText())));
  }

  private void onServerSideEmit(JsonNode data, String requestId) {
    if (!data.isArray() || data.isEmpty()) {
      return;
    }
    String event = data.get(0).asText();
    List<JsonNode> args = new ArrayList<>();
    for (int i = 1; i < data.size(); i++) {
      args.add(data.get(i));
    }
    Ack ack = Ack.NONE;
    if (requestId != null) {
      ack = new Ack() {
        private final AtomicBoolean sent = new AtomicBoolean();

        @Override
        public void send(Object... reply) {
          if (sent.compareAndSet(false, true)) {
            ObjectNode res = NODES.objectNode();
            res.put("type", RequestType.SERVER_SIDE_EMIT.code());
            res.put("requestId", requestId);
            if (reply.length > 0) {
              res.set("data", mapper.valueToTree(reply[0]));
            }
            // Always the shared response channel, as the reference does.
            link.publish(responseChannel, json(res));
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

  /**
   * Delivers a broadcast that wants acks and answers with the client count (always, even 0: the
   * requester waits for one per server) and then one message per client ack. The count goes out
   * first even when a client answers before it is known.
   */
  private void onBroadcastWithAck(JsonNode req, String requestId, String from) {
    ReentrantLock lock = new ReentrantLock();
    List<byte[]> early = new ArrayList<>();
    boolean[] counted = {false};
    int count = broadcastWithAckLocal(eventData(req.path("packet")), decodeOptions(req.get("opts")), reply -> {
      ObjectNode res = NODES.objectNode();
      res.put("type", RequestType.BROADCAST_ACK.code());
      res.put("requestId", requestId);
      res.set("packet", reply.isEmpty() ? null : reply.get(0));
      byte[] bytes = Msgpack.encode(res);
      lock.lock();
      try {
        if (counted[0]) {
          publishResponse(from, bytes);
        } else {
          early.add(bytes);
        }
      } finally {
        lock.unlock();
      }
    });
    ObjectNode res = NODES.objectNode();
    res.put("type", RequestType.BROADCAST_CLIENT_COUNT.code());
    res.put("requestId", requestId);
    res.put("clientCount", count);
    lock.lock();
    try {
      publishResponse(from, json(res));
      counted[0] = true;
      early.forEach(b -> publishResponse(from, b));
    } finally {
      lock.unlock();
    }
  }

  private void publishResponse(String requesterUid, byte[] response) {
    String target = options.publishOnSpecificResponseChannel() && requesterUid != null
        ? responseChannel + requesterUid + "#" : responseChannel;
    link.publish(target, response);
  }

  /** An answer to a request; ignored unless it is one of this server's. */
  private void onResponse(byte[] raw) {
    JsonNode res = parse(raw);
    if (res == null || !res.isObject()) {
      return;
    }
    String requestId = res.path("requestId").asText(null);
    if (requestId == null) {
      return;
    }
    AckRequest ackRequest = ackRequests.get(requestId);
    if (ackRequest != null) {
      switch (res.path("type").asInt(-1)) {
        case 8 -> ackRequest.clientCount().accept(res.path("clientCount").asInt());
        case 9 -> {
          JsonNode p = res.get("packet");
          ackRequest.ack().accept(Args.of(p == null ? List.of() : List.of(p), mapper));
        }
        default -> { }
      }
      return;
    }
    Request r = requests.get(requestId);
    if (r == null) {
      return;
    }
    r.received++;
    switch (r.type) {
      case REMOTE_FETCH -> res.path("sockets").forEach(r.items::add);
      case ALL_ROOMS -> res.path("rooms").forEach(r.items::add);
      case SERVER_SIDE_EMIT -> r.items.add(res.get("data"));
      default -> { }
    }
    if (r.received >= r.expected && requests.remove(requestId, r)) {
      r.timer.cancel(false);
      r.result.complete(r.items);
    }
  }

  // ---- encoding ----

  private ObjectNode packet(Object[] data) {
    ObjectNode p = NODES.objectNode();
    p.put("type", 2);
    p.set("data", mapper.valueToTree(data));
    p.put("nsp", nsp.name());
    return p;
  }

  private static Object[] eventData(JsonNode packet) {
    JsonNode d = packet.path("data");
    Object[] out = new Object[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(i);
    }
    return out;
  }

  /** socket.io's {@code {rooms, except, flags}}; the room-operation requests carry no flags. */
  private static ObjectNode encodeOptions(BroadcastOptions opts, boolean withFlags) {
    ObjectNode o = ClusterAdapter.encodeOptions(opts);
    if (!withFlags) {
      o.remove("flags");
    }
    return o;
  }

  private static BroadcastOptions decodeOptions(JsonNode o) {
    return ClusterAdapter.decodeOptions(o);
  }

  private static Set<String> strings(JsonNode arr) {
    Set<String> out = new HashSet<>();
    if (arr != null) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** JSON when the first byte is {@code {}, MessagePack otherwise, as the reference decides. */
  private static JsonNode parse(byte[] raw) {
    if (raw.length == 0) {
      return null;
    }
    try {
      return raw[0] == '{' ? JSON.readTree(raw) : Msgpack.decode(raw);
    } catch (IOException e) {
      log.debug("ignoring a malformed message: {}", e.toString());
      return null;
    }
  }

  private static byte[] json(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Escapes the glob characters of a channel name for {@code PSUBSCRIBE}. */
  static String globEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 4);
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "RedisAdapter[" + nsp.name() + " uid=" + uid + " key=" + options.key() + "]";
  }
}
