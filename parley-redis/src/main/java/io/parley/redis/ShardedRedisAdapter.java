package io.parley.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.redis.internal.Msgpack;
import io.parley.redis.internal.RedisLink;
import io.parley.server.Args;
import io.parley.server.adapter.BroadcastOptions;
import io.parley.server.adapter.ClusterAdapter;
import io.parley.server.adapter.ClusterMessage;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded Redis adapter (Redis 7 sharded Pub/Sub), wire-compatible with
 * {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8. The protocol is
 * {@link ClusterAdapter}'s; this class only carries its messages.
 *
 * <p>Channels of namespace {@code nsp} with prefix {@code p}: {@code p#nsp#} for every message,
 * {@code p#nsp#<uid>#} for the answers to this server, and in the dynamic
 * {@link SubscriptionMode modes} {@code p#nsp#<room>#} for each room this server has (subscribed
 * when the room gets its first local socket, unsubscribed when it loses its last one). A message is
 * {@code {type, data, uid, nsp}}, MessagePack when it carries binary, JSON otherwise. The number of
 * servers is {@code PUBSUB SHARDNUMSUB p#nsp#}.
 *
 * <p>The emitter ({@code @socket.io/redis-emitter} 5.1) speaks only the classic format, so it
 * cannot reach servers using this adapter.
 */
public final class ShardedRedisAdapter extends ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<ClusterMessage.Type> MAY_CARRY_BINARY = EnumSet.of(ClusterMessage.Type.BROADCAST,
      ClusterMessage.Type.BROADCAST_ACK, ClusterMessage.Type.FETCH_SOCKETS_RESPONSE,
      ClusterMessage.Type.SERVER_SIDE_EMIT, ClusterMessage.Type.SERVER_SIDE_EMIT_RESPONSE);
  /** The reference publisher's test for a socket id (its ids have 20 characters, as Parley's). */
  private static final int SOCKET_ID_LENGTH = 20;

  private final RedisLink link;
  private final RedisAdapterOptions options;
  private final Runnable release;
  private final String channel;
  private final String responseChannel;
  private final Set<String> roomChannels = ConcurrentHashMap.newKeySet();
  private final ReentrantLock roomLock = new ReentrantLock();
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile boolean closed;

  ShardedRedisAdapter(Namespace nsp, RedisLink link, RedisAdapterOptions options, Runnable release) {
    super(nsp);
    this.link = link;
    this.options = options;
    this.release = release;
    this.channel = options.key() + "#" + nsp.name() + "#";
    this.responseChannel = channel + uid() + "#";
  }

  /** Completes once the namespace's channels are subscribed (room channels follow their rooms). */
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
        link.ssubscribe(channel, this::onRaw),
        link.ssubscribe(responseChannel, this::onRaw)));
  }

  @Override
  public void close() {
    roomLock.lock();
    try {
      closed = true;
      link.sunsubscribe(channel);
      link.sunsubscribe(responseChannel);
      roomChannels.forEach(room -> link.sunsubscribe(roomChannel(room)));
      roomChannels.clear();
    } finally {
      roomLock.unlock();
    }
    super.close(); // the recovery store, if any
    release.run();
  }

  @Override
  public CompletableFuture<Integer> serverCount() {
    return link.handOff(link.shardNumsub(channel));
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    return link.handOff(super.fetchSockets(opts));
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    return link.handOff(super.serverSideEmitWithAck(data, timeout));
  }

  // ---- room channels ----

  @Override
  protected void onRoomCreated(String room) {
    reconcile(room);
  }

  @Override
  protected void onRoomDeleted(String room) {
    reconcile(room);
  }

  /**
   * Brings the subscription of a room channel in line with the room as it is now. The hooks run
   * after the room changed and may race each other; deciding from the current state under a lock,
   * with commands sent in lock order, leaves the last word to the room's actual state.
   */
  private void reconcile(String room) {
    if (options.subscriptionMode() == SubscriptionMode.STATIC) {
      return;
    }
    roomLock.lock();
    try {
      if (closed) {
        return;
      }
      boolean wanted = hasRoom(room) && (options.subscriptionMode() == SubscriptionMode.DYNAMIC_PRIVATE
          || socketRooms(room).isEmpty());
      if (wanted && roomChannels.add(room)) {
        link.ssubscribe(roomChannel(room), this::onRaw);
      } else if (!wanted && roomChannels.remove(room)) {
        link.sunsubscribe(roomChannel(room));
      }
    } finally {
      roomLock.unlock();
    }
  }

  private String roomChannel(String room) {
    return channel + room + "#";
  }

  // ---- publishing ----

  @Override
  protected void doPublish(ClusterMessage message) {
    link.spublish(target(message), encode(message));
  }

  /** The room channel for a broadcast without ack to exactly one room (not a socket id in DYNAMIC). */
  private String target(ClusterMessage m) {
    if (m.type() != ClusterMessage.Type.BROADCAST || m.data().hasNonNull("requestId")
        || options.subscriptionMode() == SubscriptionMode.STATIC) {
      return channel;
    }
    JsonNode rooms = m.data().path("opts").path("rooms");
    if (rooms.size() != 1) {
      return channel;
    }
    String room = rooms.get(0).asText();
    if (options.subscriptionMode() == SubscriptionMode.DYNAMIC && room.length() == SOCKET_ID_LENGTH) {
      return channel;
    }
    return roomChannel(room);
  }

  @Override
  protected void doPublishResponse(String requesterUid, ClusterMessage response) {
    link.spublish(channel + requesterUid + "#", encode(response));
  }

  static byte[] encode(ClusterMessage m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", m.type().code());
    if (m.data() != null) {
      o.set("data", m.data());
    }
    o.put("uid", m.uid());
    o.put("nsp", m.nsp());
    if (MAY_CARRY_BINARY.contains(m.type()) && Msgpack.hasBinary(m.data())) {
      return Msgpack.encode(o);
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- receiving ----

  private void onRaw(String from, byte[] raw) {
    ClusterMessage m = decode(raw);
    if (m == null) {
      return;
    }
    if (from.equals(responseChannel)) {
      onResponse(m);
    } else {
      onMessage(m);
    }
  }

  /** JSON when the first byte is {@code {}, MessagePack otherwise; null when malformed or unknown. */
  static ClusterMessage decode(byte[] raw) {
    JsonNode n;
    try {
      n = raw.length > 0 && raw[0] == '{' ? JSON.readTree(raw) : Msgpack.decode(raw);
    } catch (IOException e) {
      log.debug("ignoring a malformed message: {}", e.toString());
      return null;
    }
    ClusterMessage.Type type = ClusterMessage.Type.of(n.path("type").asInt(-1));
    if (type == null) {
      return null;
    }
    ObjectNode data = n.get("data") instanceof ObjectNode d ? d : JsonNodeFactory.instance.objectNode();
    return new ClusterMessage(n.path("uid").asText(null), n.path("nsp").asText(null), type, data);
  }

  /** Room channels subscribed now (for tests and monitoring). */
  public Set<String> roomChannels() {
    return Set.copyOf(roomChannels);
  }

  @Override
  public String toString() {
    return "ShardedRedisAdapter[" + nsp.name() + " uid=" + uid() + " prefix=" + options.key() + " "
        + options.subscriptionMode().wireName() + "]";
  }
}
