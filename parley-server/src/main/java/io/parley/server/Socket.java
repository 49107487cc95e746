package io.parley.server;

import io.parley.server.adapter.BroadcastOptions;
import io.parley.server.internal.CopyOnWrite;
import io.parley.server.internal.PendingAck;
import io.parley.server.internal.SerialExecutor;
import io.parley.server.recovery.RecoveryOptions;
import io.parley.server.recovery.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.PacketType;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import io.parley.server.engine.RequestInfo;
import io.parley.server.internal.SmallMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connected to one namespace, as socket.io's server-side {@code Socket}; one Engine.IO
 * connection carries one socket per namespace it joined. Listeners run on this socket's own
 * virtual thread, one at a time in arrival order, so they may block. Acks the client sends back
 * complete their futures on another per-socket thread (also in arrival order), so a listener may
 * block on its own {@code emitWithAck(...).get()}. Every method may be called from any thread.
 *
 * <pre>{@code
 * io.onConnection(socket -> {
 *   socket.join("lobby");
 *   socket.on("chat:send", ChatMessage.class, (msg, ack) -> {
 *     socket.to("lobby").emit("chat:message", msg);   // everyone in the lobby but the sender
 *     ack.send(Map.of("ok", true));
 *   });
 *   socket.onDisconnect(reason -> log.info("{} left: {}", socket.id(), reason));
 * });
 * }</pre>
 */
public final class Socket {
  private static final Logger log = LoggerFactory.getLogger(Socket.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter JS_DATE =
      DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT'xx", Locale.ROOT);


  /** How long a reconnecting socket waits for its session to be looked up and attached. */
  private static final long RESTORE_TIMEOUT_MS = 10_000;
  /** {@link #closed} set once, without an AtomicBoolean per socket. */
  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(Socket.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Final once connected: a recovered socket takes its session's id before it joins anything. */
  private String id;
  /** The private session id of connection state recovery; null when recovery is off. */
  private volatile String pid;
  private volatile boolean recovered;
  /** Completes once this socket left its rooms and namespace after a disconnect (recovery on only). */
  private final CompletableFuture<Void> cleanedUp;
  private final Namespace nsp;
  private final Client client;
  private final Handshake handshake;
  // Per-socket state is allocated when first used: an idle connection costs memory on every node
  // that holds it, so fields stay null or share an empty immutable value until then.
  private volatile Map<String, Object> data;
  private final SerialExecutor mailbox;
  /**
   * Where ack callbacks run: in arrival order, but not on {@link #mailbox}, so that a listener
   * blocking on its own {@code emitWithAck(...).get()} is not waiting for an ack queued behind it.
   */
  private volatile SerialExecutor ackMailbox; // created with the first ack from the client
  // Listener tables are immutable values replaced under the socket's lock (copy on write): reads on
  // the hot path take no lock, and a socket with no such listener holds the shared empty value.
  // An event's value is its one listener, or a Several of them in the order added.
  private volatile Map<String, EventListener> listeners = Map.of();
  private volatile List<AnyListener> anyListeners = List.of();
  private volatile List<AnyListener> anyOutgoing = List.of();
  private volatile List<PacketMiddleware> middlewares = List.of();
  private volatile List<Consumer<DisconnectReason>> disconnecting = List.of();
  private volatile List<Consumer<DisconnectReason>> disconnected = List.of();
  private volatile List<Consumer<Throwable>> errorListeners = List.of();
  private volatile Map<Long, Consumer<Args>> acks;
  private volatile boolean closed; // set through CLOSED
  private record Held(EncodedPacket packet, boolean volatileFlag) {}
  /** Packets emitted before the CONNECT reply went out; null once it has. */
  private volatile List<Held> held = new java.util.ArrayList<>();
  /** Guards {@link #held}; dropped (null) with it, so a connected socket keeps no lock. */
  private volatile java.util.concurrent.locks.ReentrantLock heldLock = new java.util.concurrent.locks.ReentrantLock();
  /** Event rate limit; touched only on the connection's thread (null when off). */
  private final io.parley.server.internal.TokenBucket eventBucket;
  private volatile boolean connected;

  Socket(Namespace nsp, Client client, JsonNode auth) {
    this.id = newId();
    this.nsp = nsp;
    this.client = client;
    this.mailbox = new SerialExecutor(nsp.server().blockingExecutor(), nsp.server().busyHandlers());
    EventRateLimit limit = nsp.server().options().eventRateLimit();
    this.eventBucket = limit.enabled() ? new io.parley.server.internal.TokenBucket(limit.perSecond(), limit.burst()) : null;
    this.handshake = buildHandshake(client.connection().request(), auth);
    boolean recovery = nsp.server().options().connectionStateRecovery() != null;
    this.pid = recovery ? newId() : null;
    this.cleanedUp = recovery ? new CompletableFuture<>() : null;
  }

  static String newId() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The handshake time as the reference prints it, one string per second for every socket. */
  private record TimeText(long second, String text) {}

  private static volatile TimeText lastTime = new TimeText(-1, "");

  private static String handshakeTime() {
    long second = System.currentTimeMillis() / 1000;
    TimeText t = lastTime;
    if (t.second() != second) {
      lastTime = t = new TimeText(second, ZonedDateTime.now().format(JS_DATE));
    }
    return t.text();
  }

  private Handshake buildHandshake(RequestInfo req, JsonNode auth) {
    return new Handshake(
        req.headers(),
        handshakeTime(),
        req.remoteAddress(),
        req.headers().containsKey("origin"),
        req.secure(),
        System.currentTimeMillis(),
        req.url(),
        req.query(),
        auth);
  }

  private SerialExecutor ackMailbox() {
    SerialExecutor m = ackMailbox;
    if (m == null) {
      synchronized (this) {
        if ((m = ackMailbox) == null) {
          ackMailbox = m = new SerialExecutor(nsp.server().blockingExecutor(), nsp.server().busyHandlers());
        }
      }
    }
    return m;
  }

  private Map<Long, Consumer<Args>> acks() {
    Map<Long, Consumer<Args>> a = acks;
    if (a == null) {
      synchronized (this) {
        if ((a = acks) == null) {
          acks = a = new ConcurrentHashMap<>();
        }
      }
    }
    return a;
  }

  // ---- identity and state ----

  /**
   * The socket id, as socket.io's {@code socket.id}: 20 random base64url characters, also the name of
   * the socket's own room ({@code io.to(id)} reaches it from any node). Not the Engine.IO session id
   * ({@link #connectionId()}). Fixed once connected; a socket recovered by connection state recovery
   * has its previous id.
   */
  public String id() {
    return id;
  }

  /** The namespace this socket is connected to, as socket.io's {@code socket.nsp}. */
  public Namespace nsp() {
    return nsp;
  }

  /**
   * The handshake details, as socket.io's {@code socket.handshake}: headers, query and address of
   * the HTTP request that opened the connection, and the {@code auth} of this namespace's CONNECT.
   *
   * <pre>{@code
   * io.use(socket -> {
   *   String token = socket.handshake().auth().path("token").asText(null);
   *   String agent = socket.handshake().headers().get("user-agent");
   *   String room = socket.handshake().query().get("room");
   * });
   * }</pre>
   */
  public Handshake handshake() {
    return handshake;
  }

  /**
   * Free-form per-socket data, as socket.io's {@code socket.data}: visible to other nodes through
   * {@code fetchSockets} (serialised by Jackson) and kept by connection state recovery. A
   * thread-safe map created on first use; it takes no {@code null} keys or values.
   *
   * <pre>{@code
   * io.use(socket -> socket.data().put("user", users.byToken(token(socket))));
   * io.onConnection(socket -> log.info("{} connected", socket.data().get("user")));
   * }</pre>
   */
  public Map<String, Object> data() {
    Map<String, Object> d = data;
    if (d == null) {
      synchronized (this) {
        if ((d = data) == null) {
          data = d = new ConcurrentHashMap<>();
        }
      }
    }
    return d;
  }

  /**
   * Whether the socket is connected to its namespace now, as socket.io's {@code socket.connected}:
   * true from when the middlewares passed until it disconnects, for whatever reason.
   */
  public boolean connected() {
    return connected;
  }

  /**
   * Whether this socket's state (id, rooms, {@code data}) was recovered after a reconnect, the
   * missed packets replayed (connection state recovery). Set before the middlewares run.
   */
  public boolean recovered() {
    return recovered;
  }

  /**
   * The current Engine.IO transport, {@code polling} or {@code websocket}, as socket.io's
   * {@code socket.conn.transport.name}; it changes when a polling connection upgrades.
   */
  public String transport() {
    return client.connection().transport();
  }

  /**
   * The Engine.IO session id of the underlying connection, as socket.io's {@code socket.conn.id}:
   * shared by the sockets of every namespace on that connection.
   */
  public String connectionId() {
    return client.connection().id();
  }

  // ---- listeners ----

  /**
   * Adds a listener for an event from the client, like socket.io's {@code socket.on(event, fn)}.
   * Listeners of one event run in the order added; the first to throw stops the rest and its
   * exception goes to {@link #onError} listeners. Each call runs on the socket's virtual thread, one
   * event at a time in arrival order, and may block. Listeners added later see only later events.
   *
   * <pre>{@code
   * socket.on("update item", (args, ack) -> {
   *   int id = args.get(0).asInt();
   *   Item item = args.get(1, Item.class);
   *   items.save(id, item);                  // may block
   *   ack.send(Map.of("status", "ok"));      // if the client asked for an ack
   * });
   * }</pre>
   *
   * @param event the event name
   * @param listener called with the event's arguments and its {@link Ack}
   * @return this socket, for chaining
   */
  public synchronized Socket on(String event, EventListener listener) {
    listeners = SmallMap.with(listeners, event, listener, Several::of);
    return this;
  }

  /** Listeners of one event, called in the order added (the first exception stops the rest). */
  private record Several(EventListener[] all) implements EventListener {
    static EventListener of(EventListener first, EventListener next) {
      EventListener[] before = first instanceof Several s ? s.all : new EventListener[] {first};
      EventListener[] all = Arrays.copyOf(before, before.length + 1);
      all[before.length] = next;
      return new Several(all);
    }

    @Override
    public void onEvent(Args args, Ack ack) throws Exception {
      for (EventListener l : all) {
        l.onEvent(args, ack);
      }
    }

    /** Whether {@code l} (one listener or several) was declared non-blocking throughout. */
    static boolean nonBlocking(EventListener l) {
      if (l instanceof Several s) {
        for (EventListener each : s.all) {
          if (!(each instanceof EventListener.NonBlocking)) {
            return false;
          }
        }
        return true;
      }
      return l instanceof EventListener.NonBlocking;
    }
  }

  /**
   * Adds a listener whose first argument is mapped to {@code type} by the server's Jackson mapper
   * (other arguments are ignored); see {@link #on(String, EventListener)}. An argument that does not
   * map goes to the {@link #onError} listeners as an {@link IllegalArgumentException}.
   *
   * <pre>{@code
   * record Move(int x, int y) {}
   * socket.on("move", Move.class, (move, ack) -> board.apply(socket.id(), move));
   * }</pre>
   *
   * @param <T> the payload type
   * @param event the event name
   * @param type the class of the first argument (a record, a {@code Map}, {@code byte[]}, ...)
   * @param listener called with the mapped payload ({@code null} when the event has no argument)
   * @return this socket, for chaining
   */
  public <T> Socket on(String event, Class<T> type, TypedListener<T> listener) {
    return on(event, (args, ack) -> listener.onEvent(args.get(0, type), ack));
  }

  /**
   * Removes every listener of {@code event}, like socket.io's {@code socket.removeAllListeners(event)}
   * (there is no removal of one listener of an event).
   *
   * @param event the event name
   * @return this socket, for chaining
   */
  public synchronized Socket off(String event) {
    Map<String, EventListener> m = new HashMap<>(listeners);
    m.remove(event);
    listeners = SmallMap.copyOf(m);
    return this;
  }

  /**
   * Adds a listener that sees every incoming event, like socket.io's {@code socket.onAny(fn)}:
   * called on the socket's virtual thread before the packet middlewares and the event's own
   * listeners, with the arguments as {@code JsonNode}s. An exception goes to the {@link #onError}
   * listeners and stops the event.
   *
   * <pre>{@code
   * socket.onAny((event, args) -> log.debug("got {} {}", event, Arrays.toString(args)));
   * }</pre>
   *
   * @param listener the listener
   * @return this socket, for chaining
   */
  public synchronized Socket onAny(AnyListener listener) {
    anyListeners = CopyOnWrite.plus(anyListeners, listener);
    return this;
  }

  /**
   * Removes a listener added with {@link #onAny}, like socket.io's {@code socket.offAny(fn)}: the
   * first one equal to it (for a lambda, the same reference, so keep the one you added).
   *
   * @param listener the listener to remove
   * @return this socket, for chaining
   */
  public synchronized Socket offAny(AnyListener listener) {
    anyListeners = CopyOnWrite.minus(anyListeners, listener);
    return this;
  }

  /**
   * Adds a listener that sees every event sent to this client, like socket.io's
   * {@code socket.onAnyOutgoing(fn)}: its own emits and the broadcasts that reach it (acks aside).
   * Called synchronously on the emitting thread, whatever it is (a handler, an event loop, a
   * cluster backend's thread), so it must be fast and must not block; the arguments are those given
   * to {@code emit} (JSON trees for a broadcast from another node). An exception goes to the
   * {@link #onError} listeners; the packet is still sent.
   *
   * <pre>{@code
   * socket.onAnyOutgoing((event, args) -> log.debug("sent {} to {}", event, socket.id()));
   * }</pre>
   *
   * @param listener the listener
   * @return this socket, for chaining
   */
  public synchronized Socket onAnyOutgoing(AnyListener listener) {
    anyOutgoing = CopyOnWrite.plus(anyOutgoing, listener);
    return this;
  }

  /**
   * Removes a listener added with {@link #onAnyOutgoing}, like socket.io's
   * {@code socket.offAnyOutgoing(fn)}: the first one equal to it (for a lambda, the same reference).
   *
   * @param listener the listener to remove
   * @return this socket, for chaining
   */
  public synchronized Socket offAnyOutgoing(AnyListener listener) {
    anyOutgoing = CopyOnWrite.minus(anyOutgoing, listener);
    return this;
  }

  /**
   * Adds a per-packet middleware, like socket.io's {@code socket.use(([event, ...args], next) => ...)}:
   * it sees every incoming event, on the socket's virtual thread, after the {@link #onAny} listeners
   * and before the event's listeners. Throwing drops the event and hands the exception to the
   * {@link #onError} listeners. Middlewares run in the order added.
   *
   * <pre>{@code
   * socket.use((event, args) -> {
   *   if (isUnauthorized(socket, event)) {
   *     throw new SecurityException("unauthorized event " + event);
   *   }
   * });
   * socket.onError(err -> socket.emit("error-message", err.getMessage()));
   * }</pre>
   *
   * @param middleware the middleware
   * @return this socket, for chaining
   */
  public synchronized Socket use(PacketMiddleware middleware) {
    middlewares = CopyOnWrite.plus(middlewares, middleware);
    return this;
  }

  /**
   * Adds a listener called with the reason when the socket disconnects, while it is still in its
   * rooms, like socket.io's {@code socket.on("disconnecting", reason => ...)}. Runs on the socket's
   * virtual thread, after the events already queued; it may block, and {@link #rooms()} still lists
   * the rooms.
   *
   * <pre>{@code
   * socket.onDisconnecting(reason -> {
   *   for (String room : socket.rooms()) {
   *     if (!room.equals(socket.id())) {
   *       io.to(room).emit("user has left", socket.id());
   *     }
   *   }
   * });
   * }</pre>
   *
   * @param listener called once, with the reason
   * @return this socket, for chaining
   */
  public synchronized Socket onDisconnecting(Consumer<DisconnectReason> listener) {
    disconnecting = CopyOnWrite.plus(disconnecting, listener);
    return this;
  }

  /**
   * Adds a listener called with the reason once the socket is disconnected and out of its rooms,
   * like socket.io's {@code socket.on("disconnect", reason => ...)}. Runs on the socket's virtual
   * thread, after the events already queued and the {@link #onDisconnecting} listeners; it may block.
   * An exception is logged.
   *
   * <pre>{@code
   * socket.onDisconnect(reason -> {
   *   if (reason == DisconnectReason.PING_TIMEOUT) {
   *     log.info("{} went quiet", socket.id());
   *   }
   * });
   * }</pre>
   *
   * @param listener called once, with the reason
   * @return this socket, for chaining
   */
  public synchronized Socket onDisconnect(Consumer<DisconnectReason> listener) {
    disconnected = CopyOnWrite.plus(disconnected, listener);
    return this;
  }

  /**
   * Adds a listener for the exceptions thrown by this socket's packet middlewares, event and
   * {@code onAny} listeners (on the socket's virtual thread) and {@code onAnyOutgoing} listeners (on
   * the emitting thread), like socket.io's {@code socket.on("error", err => ...)}. With none, such
   * exceptions are logged. The socket stays connected either way.
   *
   * @param listener called with each exception
   * @return this socket, for chaining
   */
  public synchronized Socket onError(Consumer<Throwable> listener) {
    errorListeners = CopyOnWrite.plus(errorListeners, listener);
    return this;
  }

  // ---- emitting ----

  static void checkEventName(String event) {
    if (SocketCodec.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }

  static Object[] eventData(String event, Object[] args) {
    Object[] data = new Object[args.length + 1];
    data[0] = event;
    System.arraycopy(args, 0, data, 1, args.length);
    return data;
  }

  /**
   * Sends an event to this client, like socket.io's {@code socket.emit(event, ...args)}. Callable from
   * any thread; the packet is written by the connection's own thread (in call order per calling
   * thread) and this method does not wait for it. Emits from a connection listener reach the client
   * after its CONNECT reply. With connection state recovery on, the packet goes through the adapter
   * to the socket's own room so that it gets an offset, as in the reference.
   *
   * <pre>{@code
   * socket.emit("hello", "world");
   * socket.emit("with-binary", 1, "2", Map.of("3", "4", "5", new byte[] {6}));
   * }</pre>
   *
   * @param event the event name; a reserved one ({@code connect}, {@code connect_error},
   *     {@code disconnect}, {@code disconnecting}, {@code newListener}, {@code removeListener}) throws
   *     {@link IllegalArgumentException}
   * @param args the arguments, serialised by the server's Jackson mapper; {@code byte[]} values
   *     become binary attachments
   * @return true, as the reference does, whether or not the packet could be written (a closed
   *     connection drops it)
   */
  public boolean emit(String event, Object... args) {
    return emit(event, args, false);
  }

  boolean emit(String event, Object[] args, boolean volatileFlag) {
    checkEventName(event);
    if (pid != null) {
      // Connection state recovery: through the adapter to this socket's own room, as the reference,
      // so that the packet gets an offset and is kept for a reconnect.
      nsp.adapter().broadcast(eventData(event, args), new BroadcastOptions(Set.of(id), Set.of(),
          volatileFlag ? BroadcastOptions.Flags.NONE.withVolatile() : BroadcastOptions.Flags.NONE));
      return true;
    }
    notifyOutgoing(event, args);
    write(nsp.codec().encode(PacketType.EVENT, nsp.name(), -1, eventData(event, args)), volatileFlag);
    return true;
  }

  /**
   * Sends an event and completes with the client's ack, like socket.io's
   * {@code socket.emitWithAck(event, ...args)}. There is no time limit: if the client never answers
   * (or disconnects first) the future never completes, so prefer {@link #timeout}. The future
   * completes on a virtual thread; a listener of this socket may block on it.
   *
   * <pre>{@code
   * socket.emitWithAck("hello", "world")
   *     .thenAccept(reply -> log.info("client said {}", reply.get(0).asText()));
   * }</pre>
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments
   * @return completes with the arguments the client acknowledged with
   */
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return emitWithAck(null, event, args);
  }

  CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object[] args) {
    checkEventName(event);
    long ackId = nsp.nextAckId();
    CompletableFuture<Args> result = new CompletableFuture<>();
    ServerMetrics metrics = nsp.server().metrics();
    long sentAt = System.nanoTime();
    acks().put(ackId, reply -> {
      metrics.ackReceived(nsp.name(), System.nanoTime() - sentAt);
      result.complete(reply);
    });
    if (timeout != null) {
      ScheduledFuture<?> timer = nsp.server().scheduler().schedule(() -> {
        if (acks().remove(ackId) != null) {
          metrics.ackTimedOut(nsp.name());
          result.completeExceptionally(new AckTimeoutException(List.of()));
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      result.whenComplete((r, t) -> timer.cancel(false));
    }
    notifyOutgoing(event, args);
    releaseConnect(); // the client must see CONNECT to be able to answer
    write(nsp.codec().encode(PacketType.EVENT, nsp.name(), ackId, eventData(event, args)), false);
    return nsp.server().onVirtualThread(result);
  }

  /**
   * An emitter whose {@code emitWithAck} fails with {@link AckTimeoutException} when the client has
   * not answered within {@code timeout}, like socket.io's {@code socket.timeout(ms)}.
   *
   * <pre>{@code
   * try {
   *   Args reply = socket.timeout(Duration.ofSeconds(5)).emitWithAck("hello", "world").get();
   * } catch (ExecutionException e) {
   *   // e.getCause() is an AckTimeoutException: the client did not acknowledge in time
   * }
   * }</pre>
   *
   * @param timeout how long {@code emitWithAck} waits for the ack
   * @return a lightweight emitter for this socket
   */
  public SocketEmitter timeout(Duration timeout) {
    return new SocketEmitter(this, timeout, false);
  }

  /**
   * An emitter whose packets are dropped, instead of queued, when the connection is not ready to
   * write (a WebSocket past its write buffer, a polling client with no GET waiting), like
   * socket.io's {@code socket.volatile}. ({@code volatile} is a Java keyword.)
   *
   * <pre>{@code
   * socket.asVolatile().emit("position", x, y);
   * }</pre>
   *
   * @return a lightweight emitter for this socket
   */
  public SocketEmitter asVolatile() {
    return new SocketEmitter(this, null, true);
  }

  /**
   * Accepted for API parity with socket.io's {@code socket.compress(value)} and otherwise ignored:
   * compression is decided per connection by the transport (permessage-deflate, HTTP compression).
   *
   * @param compress ignored
   * @return this socket
   */
  public Socket compress(boolean compress) {
    return this;
  }

  void notifyOutgoing(String event, Object[] args) {
    for (AnyListener l : anyOutgoing) {
      try {
        l.onEvent(event, args);
      } catch (Exception e) {
        reportError(e);
      }
    }
  }

  io.parley.server.engine.EngineExecutor executor() {
    return client.connection().executor();
  }

  /**
   * Tells the outgoing listeners about a broadcast this socket is about to get; on the emitter's
   * thread. A broadcast from another node (a cluster adapter) carries its event name as JSON.
   */
  void notifyBroadcast(Object[] data) {
    if (!anyOutgoing.isEmpty()) {
      String event = data[0] instanceof JsonNode j ? j.asText() : String.valueOf(data[0]);
      notifyOutgoing(event, Arrays.copyOfRange(data, 1, data.length));
    }
  }

  /** Writes an already encoded packet (broadcast path), registering its ack first when one is expected. */
  void deliver(EncodedPacket packet, boolean volatileFlag, PendingAck ack) {
    if (ack != null) {
      acks().put(ack.id(), ack.callback());
    }
    write(packet, volatileFlag);
  }

  // ---- rooms and broadcasting ----

  /**
   * Joins rooms, like socket.io's {@code socket.join(room)}: the socket receives what is then sent to
   * them, from any node. Joining a room it is already in does nothing. Takes effect before this
   * returns; callable from any thread.
   *
   * <pre>{@code
   * socket.join("room1");
   * socket.join("room1", "room2");
   * io.to("room1").emit("hello");   // reaches this socket
   * }</pre>
   *
   * @param rooms the rooms to join
   * @return this socket, for chaining
   * @throws IllegalStateException when that would put the socket in more than
   *     {@link ServerOptions#maxRoomsPerSocket()} rooms (its own included); it then joins none
   */
  public Socket join(String... rooms) {
    Set<String> add = new java.util.LinkedHashSet<>(java.util.Arrays.asList(rooms));
    int max = nsp.server().options().maxRoomsPerSocket();
    Set<String> current = nsp.adapter().socketRooms(id);
    add.removeAll(current);
    if (current.size() + add.size() > max) {
      throw new IllegalStateException("socket " + id + " cannot join " + add.size() + " more room(s): the limit is " + max);
    }
    if (!add.isEmpty()) {
      nsp.adapter().addAll(id, add);
    }
    return this;
  }

  /**
   * Leaves a room, like socket.io's {@code socket.leave(room)}; leaving a room it is not in does
   * nothing. Takes effect before this returns. On disconnect a socket leaves every room by itself.
   *
   * <pre>{@code
   * socket.leave("room1");
   * }</pre>
   *
   * @param room the room to leave
   * @return this socket, for chaining
   */
  public Socket leave(String room) {
    nsp.adapter().del(id, room);
    return this;
  }

  /**
   * The rooms this socket is in, its own id included, like socket.io's {@code socket.rooms}: an
   * immutable snapshot, empty once the socket left its rooms on disconnect.
   *
   * <pre>{@code
   * socket.join("room1");
   * socket.rooms();   // [<socket id>, room1]
   * }</pre>
   */
  public Set<String> rooms() {
    return nsp.adapter().socketRooms(id);
  }

  private BroadcastOperator others() {
    return new BroadcastOperator(nsp, Set.of(), Set.of(id), BroadcastOptions.Flags.NONE);
  }

  /**
   * A broadcast to every socket of the namespace but this one, like socket.io's
   * {@code socket.broadcast}.
   *
   * <pre>{@code
   * socket.broadcast().emit("user joined", socket.id());
   * }</pre>
   *
   * @return an immutable operator that excludes this socket
   */
  public BroadcastOperator broadcast() {
    return others();
  }

  /**
   * A broadcast to the sockets in any of these rooms, this one excluded, like socket.io's
   * {@code socket.to(room)}.
   *
   * <pre>{@code
   * socket.to("room1").emit("message", text);              // room1, but not the sender
   * socket.to(otherSocketId).emit("private message", text);  // one other socket
   * }</pre>
   *
   * @param rooms room names
   * @return an immutable operator that excludes this socket
   */
  public BroadcastOperator to(String... rooms) {
    return others().to(rooms);
  }

  /**
   * The same as {@link #to} (this socket excluded), like socket.io's {@code socket.in(room)}.
   *
   * @param rooms room names
   * @return an immutable operator that excludes this socket
   */
  public BroadcastOperator in(String... rooms) {
    return others().to(rooms);
  }

  /**
   * A broadcast to every other socket of the namespace except those in these rooms, like socket.io's
   * {@code socket.except(room)}.
   *
   * <pre>{@code
   * socket.except("room1").emit("news");   // everyone but room1 and the sender
   * }</pre>
   *
   * @param rooms room names
   * @return an immutable operator that excludes this socket
   */
  public BroadcastOperator except(String... rooms) {
    return others().except(rooms);
  }

  /**
   * A broadcast to the other sockets of the namespace on this node only (nothing is sent to the
   * rest of the cluster), like {@code socket.local} in socket.io.
   *
   * @return an immutable operator that excludes this socket
   */
  public BroadcastOperator local() {
    return others().local();
  }

  // ---- lifecycle ----

  /**
   * Disconnects this socket, like socket.io's {@code socket.disconnect(close)}: the client gets a
   * DISCONNECT packet for this namespace, the socket's disconnect listeners get
   * {@link DisconnectReason#SERVER_NAMESPACE_DISCONNECT}, and the client does not reconnect by itself.
   * With {@code close}, every socket of the underlying connection is disconnected that way and the
   * connection is closed. Without it, does nothing on a socket already disconnected. Callable from
   * any thread.
   *
   * <pre>{@code
   * socket.disconnect(false);   // leave this namespace only
   * socket.disconnect(true);    // close the whole connection
   * }</pre>
   *
   * @param close also close the underlying connection
   * @return this socket
   */
  public Socket disconnect(boolean close) {
    if (close) {
      client.disconnectAll();
    } else if (connected) {
      // Closed first, told second: a client that gets the DISCONNECT may drop the connection at
      // once, and its "transport close" must not win the race for the reason.
      onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
      write(nsp.codec().encode(PacketType.DISCONNECT, nsp.name(), -1, null), false);
    }
    return this;
  }

  /**
   * Runs the connection middlewares and, when they pass, joins the namespace. On the mailbox. With
   * connection state recovery, a CONNECT carrying {@code pid} and {@code offset} first looks for
   * the session; when found, the socket takes its id and data, skips the middlewares (unless
   * configured not to), gets the missed packets and its rooms back, then the CONNECT reply.
   */
  void connect() {
    Runnable task = () -> {
      RecoveryOptions recovery = nsp.server().options().connectionStateRecovery();
      Session session = recovery == null ? null : restore();
      if (session == null || !recovery.skipMiddlewares()) {
        for (Middleware m : nsp.allMiddlewares()) {
          try {
            m.handle(this);
          } catch (Exception e) {
            client.refuse(this, e);
            return;
          }
        }
      }
      if (client.isClosed() || closed) {
        return;
      }
      connected = true;
      nsp.server().metrics().socketConnected(nsp.name());
      client.joined();
      boolean resumed = session != null && resume(session, handshake.auth().get("offset").textValue());
      if (!resumed) {
        nsp.add(this);
        join(id);
      }
      ServerObserver[] obs = nsp.server().observers();
      if (obs.length > 0) {
        SocketIoServer.notify(obs, o -> o.socketConnected(this));
      }
      // The connection listeners run before the client sees CONNECT (what they emit follows it), so
      // rooms they join are in place when anyone learns this socket is connected, as in the
      // reference where the "connection" handlers run in the same tick as the CONNECT write.
      for (ConnectionListener l : nsp.allConnectionListeners()) {
        try {
          l.onConnection(this);
        } catch (Exception e) {
          log.warn("connection listener of {} failed", nsp.name(), e);
        }
      }
      releaseConnect();
    };
    if (!connectsInline() || !mailbox.runInline(task)) {
      mailbox.execute(task);
    }
  }

  /**
   * Whether this socket can be set up on the calling thread (the connection's event loop): every
   * middleware and connection listener is declared non-blocking, and no session is to be looked up
   * in a store (connection state recovery may ask Redis).
   */
  private boolean connectsInline() {
    if (nsp.server().options().connectionStateRecovery() != null) {
      return false;
    }
    for (Middleware m : nsp.allMiddlewares()) {
      if (!(m instanceof Middleware.NonBlocking)) {
        return false;
      }
    }
    for (ConnectionListener l : nsp.allConnectionListeners()) {
      if (!(l instanceof ConnectionListener.NonBlocking)) {
        return false;
      }
    }
    return true;
  }

  /** Writes this socket's packet, or holds it until the CONNECT reply is out. */
  private void write(EncodedPacket packet, boolean volatileFlag) {
    if (held != null) {
      java.util.concurrent.locks.ReentrantLock lock = heldLock;
      if (lock != null) {
        lock.lock();
        try {
          if (held != null) {
            held.add(new Held(packet, volatileFlag));
            return;
          }
        } finally {
          lock.unlock();
        }
      }
    }
    client.write(packet, volatileFlag);
  }

  /** Sends the CONNECT reply, then whatever was emitted before it; later writes go straight out. */
  private void releaseConnect() {
    java.util.concurrent.locks.ReentrantLock lock = heldLock;
    if (lock == null) {
      return;
    }
    lock.lock();
    try {
      if (held == null) {
        return;
      }
      client.write(connectPacket(), false);
      for (Held h : held) {
        client.write(h.packet(), h.volatileFlag());
      }
      held = null;
    } finally {
      lock.unlock();
    }
    heldLock = null; // a writer still holding it finds held null and writes directly
  }

  private EncodedPacket connectPacket() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sid", id);
    if (pid != null) {
      body.put("pid", pid);
    }
    return nsp.codec().encode(PacketType.CONNECT, nsp.name(), -1, body);
  }

  /**
   * Looks up the session named by the CONNECT's {@code pid} and {@code offset} (as the reference,
   * they stay in {@code handshake().auth()}); when the adapter gives it back, takes its id, private
   * id and data. Null when there is none to recover.
   */
  private Session restore() {
    JsonNode auth = handshake.auth();
    JsonNode p = auth.get("pid");
    JsonNode o = auth.get("offset");
    if (p == null || !p.isTextual() || o == null || !o.isTextual()) {
      return null;
    }
    Session s;
    try {
      s = nsp.adapter().restoreSession(p.textValue(), o.textValue()).get(RESTORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      log.debug("restoring session {} on {} failed: {}", p.textValue(), nsp.name(), e.toString());
      return null;
    }
    if (s == null) {
      return null;
    }
    id = s.sid();
    pid = s.pid();
    data().putAll(s.data());
    recovered = true;
    return s;
  }

  /**
   * Attaches a recovered socket through the adapter: the missed packets, then its rooms, then the
   * CONNECT reply, in that order on the connection. When that is no longer possible, the socket
   * becomes a new session (new id and private id, no data) and false is returned.
   */
  private boolean resume(Session session, String offset) {
    Socket previous = nsp.localSocket(id);
    if (previous != null && previous != this && previous.cleanedUp != null) {
      // The same session's previous connection is still leaving its rooms on this node: its
      // cleanup must not undo this socket's joins.
      try {
        previous.cleanedUp.get(RESTORE_TIMEOUT_MS / 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.debug("previous socket {} still leaving: {}", id, e.toString());
      }
    }
    Set<String> rooms = new HashSet<>(session.rooms());
    rooms.add(id);
    // 0 waiting, 1 attached, 2 given up: an attach that comes after the wait gave up does nothing.
    AtomicInteger state = new AtomicInteger();
    boolean attached;
    try {
      nsp.adapter().resumeSession(session, offset, missed -> {
        if (!state.compareAndSet(0, 1)) {
          return;
        }
        // The CONNECT reply goes out here, in order with the replay: nothing is held back for it.
        held = null;
        for (EncodedPacket packet : missed) {
          deliverOrdered(packet);
        }
        nsp.add(this);
        nsp.adapter().addAll(id, rooms);
        deliverOrdered(connectPacket());
      }).get(RESTORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("resuming session of {} on {} failed: {}", id, nsp.name(), e.toString());
    }
    attached = !state.compareAndSet(0, 2) && state.get() == 1;
    if (!attached) {
      log.debug("session of {} on {} could not be resumed; new session", id, nsp.name());
      recovered = false;
      id = newId();
      pid = newId();
      if (data != null) {
        data.clear();
      }
    }
    return attached;
  }

  /** Writes through the connection's own thread queue, in call order (packets with offsets). */
  private void deliverOrdered(EncodedPacket packet) {
    try {
      executor().execute(() -> client.write(packet, false));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("connection of {} is gone", id);
    }
  }

  /** Handles an incoming packet for this namespace; called on the connection's thread. */
  void onPacket(SocketPacket p) {
    switch (p.type()) {
      case EVENT, BINARY_EVENT -> {
        if (nsp.server().isClosing()) {
          return; // shutting down: finish what runs, start nothing new
        }
        ServerMetrics metrics = nsp.server().metrics();
        if (eventBucket != null && !eventBucket.tryTake()) {
          metrics.eventDropped(nsp.name());
          overRate();
          return;
        }
        metrics.eventReceived(nsp.name());
        Runnable task = () -> onEvent(p);
        if (!runsInline(p) || !mailbox.runInline(task)) {
          mailbox.execute(task);
        }
      }
      case ACK, BINARY_ACK -> {
        Map<Long, Consumer<Args>> pending = acks;
        Consumer<Args> cb = pending == null ? null : pending.remove(p.id());
        if (cb != null) {
          Args args = Args.of((ArrayNode) p.data(), 0, nsp.codec().mapper());
          ackMailbox().execute(() -> cb.accept(args));
        }
      }
      case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
      case CONNECT, CONNECT_ERROR -> throw new IllegalStateException("handled by the client");
    }
  }

  private long droppedEvents;

  /** An event over the rate limit: dropped, or the connection closed. */
  private void overRate() {
    EventRateLimit limit = nsp.server().options().eventRateLimit();
    if (limit.action() == EventRateLimit.Action.DISCONNECT) {
      log.info("socket {} on {} sent events faster than {}/s: disconnecting", id, nsp.name(), limit.perSecond());
      client.close(DisconnectReason.TOO_MANY_EVENTS);
    } else if (droppedEvents++ % 1000 == 0) {
      log.info("socket {} on {} sends events faster than {}/s: dropping ({} so far)", id, nsp.name(),
          limit.perSecond(), droppedEvents);
    }
  }

  /** Whether every listener this event reaches was declared non-blocking. */
  private boolean runsInline(SocketPacket p) {
    if (!anyListeners.isEmpty() || !middlewares.isEmpty() || !connected) {
      return false;
    }
    JsonNode name = p.data().get(0);
    EventListener l = listeners.get(name.isTextual() ? name.textValue() : name.asText());
    return l != null && Several.nonBlocking(l);
  }

  private void onEvent(SocketPacket p) {
    if (!connected) {
      return;
    }
    ArrayNode arr = (ArrayNode) p.data();
    JsonNode name = arr.get(0);
    String event = name.isTextual() ? name.textValue() : name.asText();
    Args args = Args.of(arr, 1, nsp.codec().mapper());
    Ack ack = p.hasId() ? new ClientAck(p.id()) : Ack.NONE;
    try {
      if (!anyListeners.isEmpty()) {
        Object[] raw = args.toArray();
        for (AnyListener l : anyListeners) {
          l.onEvent(event, raw);
        }
      }
      for (PacketMiddleware m : middlewares) {
        m.handle(event, args);
      }
      EventListener l = listeners.get(event);
      if (l != null) {
        l.onEvent(args, ack);
      }
    } catch (Exception e) {
      reportError(e);
    }
  }

  private void reportError(Throwable e) {
    if (errorListeners.isEmpty()) {
      log.warn("socket {} on {}: {}", id, nsp.name(), e.toString());
      return;
    }
    for (Consumer<Throwable> l : errorListeners) {
      l.accept(e);
    }
  }

  /** Leaves the namespace for {@code reason}; runs once. */
  void onClose(DisconnectReason reason) {
    if (!CLOSED.compareAndSet(this, false, true)) {
      return;
    }
    boolean wasConnected = connected;
    connected = false;
    client.remove(this);
    if (!wasConnected) {
      return;
    }
    nsp.server().metrics().socketDisconnected(nsp.name(), reason);
    if (pid != null && reason.recoverable()) {
      // Kept at once, not after the listeners: the client may be back within milliseconds.
      try {
        nsp.adapter().persistSession(new Session(id, pid, rooms(), data == null ? Map.of() : data));
      } catch (RuntimeException e) {
        log.warn("keeping the session of {} on {} failed", id, nsp.name(), e);
      }
    }
    Runnable cleanup = () -> {
      for (Consumer<DisconnectReason> l : disconnecting) {
        safely(l, reason);
      }
      nsp.adapter().delAll(id);
      nsp.remove(this);
      if (cleanedUp != null) {
        cleanedUp.complete(null);
      }
      ServerObserver[] obs = nsp.server().observers();
      if (obs.length > 0) {
        SocketIoServer.notify(obs, o -> o.socketDisconnected(this, reason));
      }
      for (Consumer<DisconnectReason> l : disconnected) {
        safely(l, reason);
      }
    };
    // With no listener of its own to run (they may block), the socket leaves its rooms here, in
    // order behind whatever its mailbox still holds.
    if (!disconnecting.isEmpty() || !disconnected.isEmpty() || !mailbox.runInline(cleanup)) {
      mailbox.execute(cleanup);
    }
  }

  private void safely(Consumer<DisconnectReason> l, DisconnectReason reason) {
    try {
      l.accept(reason);
    } catch (RuntimeException e) {
      log.warn("disconnect listener failed", e);
    }
  }

  /** The ack handed to a listener when the client asked for one. */
  private final class ClientAck implements Ack {
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    ClientAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
      if (sent.compareAndSet(false, true) && connected) {
        write(nsp.codec().encodeAck(nsp.name(), ackId, args), false);
      }
    }

    @Override
    public boolean requested() {
      return true;
    }
  }

  @Override
  public String toString() {
    return "Socket[" + id + " " + nsp.name() + "]";
  }
}
