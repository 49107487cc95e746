package io.parley.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.parley.protocol.SocketCodec;
import io.parley.redis.internal.Msgpack;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends events to the clients of a Socket.IO cluster from a process that is no Socket.IO server,
 * as {@code @socket.io/redis-emitter} does: it publishes in the classic adapter's format, with uid
 * {@code emitter}, so Parley and Node servers using the classic {@link RedisAdapter} (same key)
 * deliver it. Servers using the sharded adapter do not hear it.
 *
 * <pre>{@code
 * try (RedisEmitter emitter = RedisEmitter.create(redisClient)) {
 *   emitter.to("room1").except("room2").emit("news", Map.of("title", "hello"));
 *   emitter.of("/admin").serverSideEmit("reload");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; every method returns a future completed when Redis took the message.
 * No acknowledgements, {@code fetchSockets} or {@code allRooms}: an emitter does not subscribe.
 */
public final class RedisEmitter implements AutoCloseable {
  /** The uid an emitter's messages carry. */
  public static final String UID = "emitter";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final boolean ownsConnection;
  private final String key;
  private final String nsp;
  private final ObjectMapper mapper;

  private RedisEmitter(StatefulRedisConnection<byte[], byte[]> connection, boolean owns, String key, String nsp,
      ObjectMapper mapper) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.ownsConnection = owns;
    this.key = Objects.requireNonNull(key, "key");
    this.nsp = nsp;
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * An emitter for namespace {@code /} and key {@code socket.io}, on a connection of its own (opened
   * now, blocking; closed by {@link #close}), as {@code new Emitter(redisClient)}.
   *
   * @param client the Lettuce client to connect with
   * @return a new emitter
   */
  public static RedisEmitter create(RedisClient client) {
    return create(client, "socket.io");
  }

  /**
   * An emitter for namespace {@code /} and {@code key}, on a connection of its own (closed by
   * {@link #close}), as {@code new Emitter(redisClient, { key })}.
   *
   * @param client the Lettuce client to connect with
   * @param key the servers' {@link RedisAdapterOptions#key()}
   * @return a new emitter
   */
  public static RedisEmitter create(RedisClient client, String key) {
    return new RedisEmitter(client.connect(ByteArrayCodec.INSTANCE), true, key, "/", new ObjectMapper());
  }

  /**
   * An emitter on an existing connection (left open by {@link #close}); {@code mapper} turns arguments
   * to trees.
   *
   * @param connection a byte-array connection, shared with other users if need be
   * @param key the servers' {@link RedisAdapterOptions#key()}
   * @param mapper serialises the arguments (use the servers' settings, so payloads look alike)
   * @return a new emitter
   */
  public static RedisEmitter create(StatefulRedisConnection<byte[], byte[]> connection, String key,
      ObjectMapper mapper) {
    return new RedisEmitter(connection, false, key, "/", mapper);
  }

  /**
   * The emitter of another namespace, as the reference's {@code emitter.of("/admin")}; a missing
   * leading slash is added. Shares this one's connection (closing it does not close the connection).
   *
   * @param namespace the namespace name
   * @return a new emitter
   */
  public RedisEmitter of(String namespace) {
    return new RedisEmitter(connection, false, key, namespace.startsWith("/") ? namespace : "/" + namespace, mapper);
  }

  /** The namespace this emitter sends to, with its leading slash. */
  public String namespace() {
    return nsp;
  }

  private Operator operator() {
    return new Operator(Set.of(), Set.of(), false, null);
  }

  /**
   * Targets the clients in any of these rooms, as the reference's {@code emitter.to(room)}.
   *
   * <pre>{@code
   * emitter.to("room1").emit("hello");
   * emitter.to("room1", "room2").emit("hello");   // in room1 or room2
   * }</pre>
   *
   * @param rooms room names (a socket id names that socket's room)
   * @return an immutable operator
   */
  public Operator to(String... rooms) {
    return operator().to(rooms);
  }

  /**
   * The same as {@link #to}, as the reference's {@code emitter.in(room)}.
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public Operator in(String... rooms) {
    return operator().to(rooms);
  }

  /**
   * Leaves out the clients in any of these rooms, as the reference's {@code emitter.except(room)}.
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public Operator except(String... rooms) {
    return operator().except(rooms);
  }

  /**
   * Marks the emit volatile, as the reference's {@code emitter.volatile}: servers drop it for
   * connections not ready to write.
   *
   * @return an immutable operator
   */
  public Operator asVolatile() {
    return operator().asVolatile();
  }

  /**
   * Sets the compress flag, as the reference's {@code emitter.compress(value)} (carried to the
   * servers; Parley servers do not act on it).
   *
   * @param compress whether the packet may be compressed
   * @return an immutable operator
   */
  public Operator compress(boolean compress) {
    return operator().compress(compress);
  }

  /**
   * Sends {@code event} to every client of the namespace, on every server, as the reference's
   * {@code emitter.emit(event, ...args)}.
   *
   * <pre>{@code
   * emitter.emit("news", Map.of("title", "hello"));
   * }</pre>
   *
   * @param event the event name; a reserved one throws {@link IllegalArgumentException}
   * @param args the arguments, serialised by the emitter's mapper ({@code byte[]} stays binary)
   * @return completes once Redis took the message
   */
  public CompletableFuture<Void> emit(String event, Object... args) {
    return operator().emit(event, args);
  }

  /**
   * Makes every socket of the namespace join these rooms, on every server, as the reference's
   * {@code emitter.socketsJoin(rooms)}.
   *
   * <pre>{@code
   * emitter.in("room1").socketsJoin("room2");
   * }</pre>
   *
   * @param rooms the rooms to join
   * @return completes once Redis took the request
   */
  public CompletableFuture<Void> socketsJoin(String... rooms) {
    return operator().socketsJoin(rooms);
  }

  /**
   * Makes every socket of the namespace leave these rooms, on every server, as the reference's
   * {@code emitter.socketsLeave(rooms)}.
   *
   * @param rooms the rooms to leave
   * @return completes once Redis took the request
   */
  public CompletableFuture<Void> socketsLeave(String... rooms) {
    return operator().socketsLeave(rooms);
  }

  /**
   * Disconnects every socket of the namespace, on every server, as the reference's
   * {@code emitter.disconnectSockets(close)}.
   *
   * <pre>{@code
   * emitter.in("room1").disconnectSockets(true);
   * }</pre>
   *
   * @param close also close their underlying connections
   * @return completes once Redis took the request
   */
  public CompletableFuture<Void> disconnectSockets(boolean close) {
    return operator().disconnectSockets(close);
  }

  /**
   * Sends {@code [event, ...args]} to the servers of the cluster (no acks: nothing could receive them),
   * as the reference's {@code emitter.serverSideEmit(event, ...args)}; the servers' listeners of
   * {@code io.on(event, ...)} get it.
   *
   * @param event the event name; a reserved one throws {@link IllegalArgumentException}
   * @param args the arguments
   * @return completes once Redis took the message
   */
  public CompletableFuture<Void> serverSideEmit(String event, Object... args) {
    ObjectNode req = NODES.objectNode();
    req.put("uid", UID);
    req.put("type", RedisAdapter.RequestType.SERVER_SIDE_EMIT.code());
    req.set("data", mapper.valueToTree(data(event, args)));
    return publish(requestChannel(), json(req));
  }

  /** Closes the connection when the emitter opened it. */
  @Override
  public void close() {
    if (ownsConnection) {
      connection.close();
    }
  }

  private String requestChannel() {
    return key + "-request#" + nsp + "#";
  }

  private CompletableFuture<Void> publish(String channel, byte[] message) {
    return connection.async().publish(channel.getBytes(StandardCharsets.UTF_8), message).toCompletableFuture()
        .thenApply(n -> null);
  }

  private static Object[] data(String event, Object[] args) {
    if (SocketCodec.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
    Object[] data = new Object[args.length + 1];
    data[0] = event;
    System.arraycopy(args, 0, data, 1, args.length);
    return data;
  }

  private static byte[] json(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rooms, exclusions and flags of an emit; immutable, each method returns a new operator. As the
   * reference's {@code BroadcastOperator} of the emitter.
   */
  public final class Operator {
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean volatileFlag;
    private final Boolean compress;

    private Operator(Set<String> rooms, Set<String> except, boolean volatileFlag, Boolean compress) {
      this.rooms = rooms;
      this.except = except;
      this.volatileFlag = volatileFlag;
      this.compress = compress;
    }

    private static Set<String> plus(Set<String> set, String... more) {
      Set<String> s = new LinkedHashSet<>(set);
      Collections.addAll(s, more);
      return Collections.unmodifiableSet(s);
    }

    /**
     * Targets the clients in any of these rooms too.
     *
     * @param room room names
     * @return a new operator
     */
    public Operator to(String... room) {
      return new Operator(plus(rooms, room), except, volatileFlag, compress);
    }

    /**
     * The same as {@link #to}.
     *
     * @param room room names
     * @return a new operator
     */
    public Operator in(String... room) {
      return to(room);
    }

    /**
     * Leaves out the clients in any of these rooms too.
     *
     * @param room room names
     * @return a new operator
     */
    public Operator except(String... room) {
      return new Operator(rooms, plus(except, room), volatileFlag, compress);
    }

    /**
     * Marks the emit volatile.
     *
     * @return a new operator
     */
    public Operator asVolatile() {
      return new Operator(rooms, except, true, compress);
    }

    /**
     * Sets the compress flag (carried to the servers).
     *
     * @param c whether the packet may be compressed
     * @return a new operator
     */
    public Operator compress(boolean c) {
      return new Operator(rooms, except, volatileFlag, c);
    }

    /**
     * Sends {@code event} to the targeted clients, on every server: publishes
     * {@code [uid, packet, {rooms, flags, except}]} on the namespace's (or the one room's) channel.
     *
     * @param event the event name; a reserved one throws {@link IllegalArgumentException}
     * @param args the arguments
     * @return completes once Redis took the message
     */
    public CompletableFuture<Void> emit(String event, Object... args) {
      ObjectNode packet = NODES.objectNode();
      packet.put("type", 2);
      packet.set("data", mapper.valueToTree(data(event, args)));
      packet.put("nsp", nsp);
      ObjectNode opts = NODES.objectNode();
      ArrayNode r = opts.putArray("rooms");
      rooms.forEach(r::add);
      ObjectNode flags = opts.putObject("flags");
      if (volatileFlag) {
        flags.put("volatile", true);
      }
      if (compress != null) {
        flags.put("compress", compress);
      }
      ArrayNode e = opts.putArray("except");
      except.forEach(e::add);
      ArrayNode msg = NODES.arrayNode().add(UID).add(packet).add(opts);
      String channel = key + "#" + nsp + "#" + (rooms.size() == 1 ? rooms.iterator().next() + "#" : "");
      return publish(channel, Msgpack.encode(msg));
    }

    /**
     * Makes the targeted sockets join these rooms, on every server.
     *
     * @param roomNames the rooms to join
     * @return completes once Redis took the request
     */
    public CompletableFuture<Void> socketsJoin(String... roomNames) {
      return roomRequest(RedisAdapter.RequestType.REMOTE_JOIN, roomNames);
    }

    /**
     * Makes the targeted sockets leave these rooms, on every server.
     *
     * @param roomNames the rooms to leave
     * @return completes once Redis took the request
     */
    public CompletableFuture<Void> socketsLeave(String... roomNames) {
      return roomRequest(RedisAdapter.RequestType.REMOTE_LEAVE, roomNames);
    }

    /**
     * Disconnects the targeted sockets, on every server.
     *
     * @param close also close their underlying connections
     * @return completes once Redis took the request
     */
    public CompletableFuture<Void> disconnectSockets(boolean close) {
      ObjectNode req = NODES.objectNode();
      req.put("type", RedisAdapter.RequestType.REMOTE_DISCONNECT.code());
      req.set("opts", target());
      req.put("close", close);
      return publish(requestChannel(), json(req));
    }

    private CompletableFuture<Void> roomRequest(RedisAdapter.RequestType type, String[] roomNames) {
      ObjectNode req = NODES.objectNode();
      req.put("type", type.code());
      req.set("opts", target());
      ArrayNode r = req.putArray("rooms");
      for (String room : roomNames) {
        r.add(room);
      }
      return publish(requestChannel(), json(req));
    }

    private ObjectNode target() {
      ObjectNode o = NODES.objectNode();
      ArrayNode r = o.putArray("rooms");
      rooms.forEach(r::add);
      ArrayNode e = o.putArray("except");
      except.forEach(e::add);
      return o;
    }
  }
}
