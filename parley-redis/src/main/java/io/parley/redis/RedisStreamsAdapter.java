package io.parley.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.parley.protocol.EncodedPacket;
import io.parley.redis.internal.Msgpack;
import io.parley.redis.internal.RedisLink;
import io.parley.redis.internal.StreamLink;
import io.parley.server.Args;
import io.parley.server.adapter.BroadcastOptions;
import io.parley.server.adapter.ClusterAdapter;
import io.parley.server.adapter.ClusterMessage;
import io.parley.server.Namespace;
import io.parley.server.recovery.RecoveryOptions;
import io.parley.server.RemoteSocket;
import io.parley.server.recovery.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams adapter, wire-compatible with {@code @socket.io/redis-streams-adapter} 0.3: the
 * messages that change state or reach clients (broadcasts, joins, leaves, disconnects) are entries
 * of one Redis stream ({@code XADD ... MAXLEN ~ maxLen}), which every server reads with a blocking
 * XREAD loop; requests that expect answers ({@code fetchSockets}, {@code serverSideEmit}, broadcasts
 * with acks) and the answers go through Pub/Sub, MessagePack-encoded, on {@code <prefix>#<nsp>#} and
 * {@code <prefix>#<nsp>#<uid>#}. A stream entry has the fields {@code uid}, {@code nsp},
 * {@code type} (the message type as a decimal string) and {@code data} (JSON, or base64 MessagePack
 * when it carries binary). The number of servers is the number of subscribers of
 * {@code <prefix>#<nsp>#}.
 *
 * <p>Connection state recovery (when the server has it on): the offset of a packet is the id of its
 * stream entry, the same on every server, so a client may come back through any server of the
 * cluster, Node.js or Parley. Sessions are kept under {@code <sessionKeyPrefix><pid>} (base64
 * MessagePack {@code {sid, pid, rooms, data, disconnectedAt}}) with an expiry of
 * {@code maxDisconnectionDuration}, and taken with GETDEL. {@code disconnectedAt} (milliseconds of
 * the recovery options' {@link RecoveryOptions#clock clock}) is Parley's addition, ignored by the
 * reference: a session is restored only while that clock is within the window of it, so the window
 * is judged by the same clock as the in-memory store's (a session without it, written by a Node.js
 * server, is judged by its Redis expiry alone). With recovery on, this server delivers its own broadcasts when it reads
 * them back from the stream, so every client of this server gets packets in stream order and a
 * recovered client gets each missed packet exactly once; what a reconnecting client can recover is
 * bounded by the stream's {@code maxLen}.
 */
public final class RedisStreamsAdapter extends ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<ClusterMessage.Type> MAY_CARRY_BINARY = EnumSet.of(ClusterMessage.Type.BROADCAST,
      ClusterMessage.Type.BROADCAST_ACK, ClusterMessage.Type.FETCH_SOCKETS_RESPONSE,
      ClusterMessage.Type.SERVER_SIDE_EMIT, ClusterMessage.Type.SERVER_SIDE_EMIT_RESPONSE);
  private static final Pattern OFFSET = Pattern.compile("[0-9]+-[0-9]+");
  /** How long the attach of a recovered socket waits for this server's reader to reach the client's offset. */
  private static final long CATCH_UP_MS = 5_000;

  private final RedisLink link;
  private final StreamLink streams;
  private final RedisStreamsOptions options;
  private final Runnable release;
  private final String stream;
  private final String publicChannel;
  private final String privateChannel;
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();

  RedisStreamsAdapter(Namespace nsp, RedisLink link, StreamLink streams, RedisStreamsOptions options,
      Runnable release) {
    super(nsp);
    this.link = link;
    this.streams = streams;
    this.options = options;
    this.release = release;
    this.stream = options.streamOf(nsp.name());
    this.publicChannel = options.channelPrefix() + "#" + nsp.name() + "#";
    this.privateChannel = publicChannel + uid() + "#";
  }

  /** Completes once the namespace's channels are subscribed. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** The stream this namespace's messages go to. */
  public String stream() {
    return stream;
  }

  @Override
  public void init() {
    streams.register(nsp.name(), this::onEntry);
    ready = link.handOff(options.useShardedPubSub()
        ? CompletableFuture.allOf(link.ssubscribe(publicChannel, this::onRaw), link.ssubscribe(privateChannel, this::onRaw))
        : CompletableFuture.allOf(link.subscribe(publicChannel, this::onRaw), link.subscribe(privateChannel, this::onRaw)));
  }

  @Override
  public void close() {
    streams.unregister(nsp.name());
    if (options.useShardedPubSub()) {
      link.sunsubscribe(publicChannel);
      link.sunsubscribe(privateChannel);
    } else {
      link.unsubscribe(publicChannel);
      link.unsubscribe(privateChannel);
    }
    super.close();
    release.run();
  }

  @Override
  public CompletableFuture<Integer> serverCount() {
    return link.handOff(options.useShardedPubSub() ? link.shardNumsub(publicChannel) : link.numsub(publicChannel));
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    return link.handOff(super.fetchSockets(opts));
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    return link.handOff(super.serverSideEmitWithAck(data, timeout));
  }

  // ---- publishing ----

  /** Requests that expect answers travel by Pub/Sub, as the reference's "ephemeral" messages. */
  private static boolean ephemeral(ClusterMessage m) {
    return (m.type() == ClusterMessage.Type.BROADCAST && m.data().hasNonNull("requestId"))
        || m.type() == ClusterMessage.Type.SERVER_SIDE_EMIT || m.type() == ClusterMessage.Type.FETCH_SOCKETS;
  }

  @Override
  protected void doPublish(ClusterMessage message) {
    if (ephemeral(message)) {
      publish(publicChannel, message);
    } else {
      xadd(message);
    }
  }

  @Override
  protected void doPublishResponse(String requesterUid, ClusterMessage response) {
    publish(publicChannel + requesterUid + "#", response);
  }

  private void publish(String channel, ClusterMessage m) {
    byte[] payload = Msgpack.encode(toJson(m));
    if (options.useShardedPubSub()) {
      link.spublish(channel, payload);
    } else {
      link.publish(channel, payload);
    }
  }

  private static ObjectNode toJson(ClusterMessage m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("uid", m.uid());
    o.put("nsp", m.nsp());
    o.put("type", m.type().code());
    if (m.data() != null) {
      o.set("data", m.data());
    }
    return o;
  }

  private CompletableFuture<String> xadd(ClusterMessage m) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("uid", m.uid());
    entry.put("nsp", m.nsp());
    entry.put("type", Integer.toString(m.type().code()));
    if (m.data() != null) {
      entry.put("data", encodeData(m));
    }
    CompletableFuture<String> f = streams.async()
        .xadd(stream, XAddArgs.Builder.maxlen(options.maxLen()).approximateTrimming(), entry).toCompletableFuture();
    f.whenComplete((id, e) -> {
      if (e != null) {
        log.warn("XADD to {} failed: {}", stream, e.toString());
      }
    });
    return f;
  }

  private static String encodeData(ClusterMessage m) {
    if (MAY_CARRY_BINARY.contains(m.type()) && Msgpack.hasBinary(m.data())) {
      return Base64.getEncoder().encodeToString(Msgpack.encode(m.data()));
    }
    try {
      return JSON.writeValueAsString(m.data());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void broadcast(Object[] data, BroadcastOptions opts) {
    if (recovery() == null) {
      super.broadcast(data, opts); // to the stream, and to the local sockets at once
      return;
    }
    if (opts.flags().local()) {
      broadcastLocal(data, opts, null);
      return;
    }
    // Recovery on: the local sockets get it when the reader reads it back, with its entry id as offset.
    ObjectNode d = mapper.createObjectNode();
    d.set("packet", eventPacket(data));
    d.set("opts", encodeOptions(opts));
    xadd(new ClusterMessage(uid(), nsp.name(), ClusterMessage.Type.BROADCAST, d)).whenComplete((id, e) -> {
      if (e != null) {
        // as the reference: the local sockets still get it, without an offset
        streams.delivery().execute(() -> broadcastLocal(data, opts, null));
      }
    });
  }

  // ---- receiving ----

  private void onRaw(String channel, byte[] raw) {
    ClusterMessage m = ShardedRedisAdapter.decode(raw);
    if (m != null) {
      onMessage(m);
    }
  }

  /** A stream entry of this namespace, on the delivery thread. */
  private void onEntry(String id, Map<String, String> fields) {
    ClusterMessage m = decodeEntry(fields);
    if (m == null) {
      return;
    }
    if (m.type() == ClusterMessage.Type.BROADCAST && !m.data().hasNonNull("requestId")) {
      boolean mine = uid().equals(m.uid());
      if (mine && recovery() == null) {
        return; // delivered when it was published
      }
      BroadcastOptions opts = decodeOptions(m.data().get("opts"));
      if (mine && opts.flags().local()) {
        return;
      }
      boolean kept = recovery() != null && !opts.flags().volatileFlag();
      broadcastLocal(eventData(m.data().path("packet")), opts, kept ? id : null);
      return;
    }
    onMessage(m); // ignores this server's own messages
  }

  /** A stream entry's message, or null when malformed. */
  static ClusterMessage decodeEntry(Map<String, String> fields) {
    ClusterMessage.Type type;
    try {
      type = ClusterMessage.Type.of(Integer.parseInt(fields.getOrDefault("type", "")));
    } catch (NumberFormatException e) {
      return null;
    }
    if (type == null) {
      return null;
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    String raw = fields.get("data");
    if (raw != null && !raw.isEmpty()) {
      try {
        JsonNode n = raw.startsWith("{") ? JSON.readTree(raw) : Msgpack.decode(Base64.getDecoder().decode(raw));
        if (n instanceof ObjectNode o) {
          data = o;
        }
      } catch (IOException | IllegalArgumentException e) {
        log.debug("ignoring a malformed entry: {}", e.toString());
        return null;
      }
    }
    return new ClusterMessage(fields.get("uid"), fields.get("nsp"), type, data);
  }

  // ---- connection state recovery ----

  private String sessionKey(String pid) {
    return options.sessionKeyPrefix() + pid;
  }

  @Override
  public void persistSession(Session session) {
    RecoveryOptions recovery = recovery();
    if (recovery == null) {
      return;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("sid", session.sid());
    o.put("pid", session.pid());
    ArrayNode rooms = o.putArray("rooms");
    session.rooms().forEach(rooms::add);
    o.set("data", mapper.valueToTree(session.data()));
    o.put("disconnectedAt", recovery.clock().millis());
    String value = Base64.getEncoder().encodeToString(Msgpack.encode(o));
    log.debug("keeping session {} of {}", session.pid(), session.sid());
    streams.async().set(sessionKey(session.pid()), value,
        SetArgs.Builder.px(recovery.maxDisconnectionDuration().toMillis())).whenComplete((r, e) -> {
          if (e != null) {
            log.warn("keeping session {} failed: {}", session.pid(), e.toString());
          }
        });
  }

  /**
   * GETDEL of the session and XRANGE of the offset, as the reference. One difference: when the
   * offset is still in the stream but the session is not (yet) there, the lookup is repeated a few
   * times within {@link #SESSION_WAITS_MS}: the client may be back on this server before the server
   * it left has noticed the drop and written the session (seen in tests under load).
   */
  @Override
  public CompletableFuture<Session> restoreSession(String pid, String offset) {
    if (recovery() == null || !OFFSET.matcher(offset).matches()) {
      return CompletableFuture.completedFuture(null);
    }
    return lookUp(pid, offset, 0);
  }

  /** Delays between the lookups of a session that is not written yet (ms). */
  private static final long[] SESSION_WAITS_MS = {50, 100, 200};

  private CompletableFuture<Session> lookUp(String pid, String offset, int attempt) {
    CompletableFuture<String> raw = streams.async().getdel(sessionKey(pid)).toCompletableFuture();
    CompletableFuture<List<StreamMessage<String, String>>> at =
        streams.async().xrange(stream, Range.create(offset, offset)).toCompletableFuture();
    return raw.thenCombine(at, (r, entries) -> new Object[] {r, entries.isEmpty()}).thenCompose(found -> {
      String r = (String) found[0];
      boolean gone = (Boolean) found[1];
      log.debug("restoring session {} from {} (lookup {}): session {}, offset {}", pid, offset, attempt + 1,
          r == null ? "unknown" : "found", gone ? "gone" : "kept");
      if (r == null && !gone && attempt < SESSION_WAITS_MS.length) {
        CompletableFuture<Session> later = new CompletableFuture<>();
        streams.delivery().schedule(() -> lookUp(pid, offset, attempt + 1).whenComplete((v, e) -> {
          if (e != null) {
            later.completeExceptionally(e);
          } else {
            later.complete(v);
          }
        }), SESSION_WAITS_MS[attempt], TimeUnit.MILLISECONDS);
        return later;
      }
      return CompletableFuture.completedFuture(r == null || gone ? null : withinWindow(decodeSession(r)));
    });
  }

  /** {@code kept} when the recovery clock is still within the window of its disconnection, else null. */
  private Session withinWindow(Kept kept) {
    RecoveryOptions recovery = recovery();
    if (kept == null || recovery == null) {
      return null;
    }
    if (kept.disconnectedAt() >= 0
        && recovery.clock().millis() - kept.disconnectedAt() > recovery.maxDisconnectionDuration().toMillis()) {
      log.debug("session {} is past the window", kept.session().pid());
      return null;
    }
    return kept.session();
  }

  /** A session read back, and when it was kept by the recovery clock (-1 when not said). */
  private record Kept(Session session, long disconnectedAt) {}

  private Kept decodeSession(String raw) {
    try {
      JsonNode o = Msgpack.decode(Base64.getDecoder().decode(raw));
      Set<String> rooms = new HashSet<>();
      o.path("rooms").forEach(r -> rooms.add(r.asText()));
      Map<String, Object> data = new HashMap<>();
      o.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue()));
      JsonNode at = o.get("disconnectedAt");
      return new Kept(new Session(o.path("sid").asText(), o.path("pid").asText(), rooms, data),
          at != null && at.isIntegralNumber() ? at.asLong() : -1);
    } catch (IOException | IllegalArgumentException e) {
      log.debug("ignoring a malformed session: {}", e.toString());
      return null;
    }
  }

  /**
   * On the delivery thread, once it has handled the client's offset: the entries after it up to
   * the last one handled are the missed packets; later ones reach the socket live, since it is
   * attached before the thread handles anything else.
   */
  @Override
  public CompletableFuture<Boolean> resumeSession(Session session, String offset,
      Consumer<List<EncodedPacket>> attach) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MS);
    Runnable task = new Runnable() {
      @Override
      public void run() {
        try {
          String last = streams.lastProcessed(stream);
          if (StreamLink.compareIds(last, offset) < 0) {
            if (System.nanoTime() > deadline) {
              result.complete(false);
            } else {
              streams.delivery().schedule(this, 5, TimeUnit.MILLISECONDS);
            }
            return;
          }
          List<StreamMessage<String, String>> entries = streams.sync().xrange(stream, Range.create(offset, last));
          if (entries.isEmpty() || !entries.get(0).getId().equals(offset)) {
            result.complete(false); // trimmed meanwhile
            return;
          }
          List<EncodedPacket> missed = new ArrayList<>();
          for (StreamMessage<String, String> e : entries.subList(1, entries.size())) {
            if (!nsp.name().equals(e.getBody().get("nsp")) || !"3".equals(e.getBody().get("type"))) {
              continue;
            }
            ClusterMessage m = decodeEntry(e.getBody());
            if (m == null || m.data().hasNonNull("requestId")) {
              continue;
            }
            BroadcastOptions opts = decodeOptions(m.data().get("opts"));
            if (!opts.flags().volatileFlag() && !opts.flags().local() && opts.reaches(session.rooms())) {
              missed.add(encodeEvent(eventData(m.data().path("packet")), e.getId()));
            }
          }
          attach.accept(missed);
          result.complete(true);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    };
    streams.delivery().execute(task);
    return result;
  }

  @Override
  public String toString() {
    return "RedisStreamsAdapter[" + nsp.name() + " uid=" + uid() + " stream=" + stream + "]";
  }
}
