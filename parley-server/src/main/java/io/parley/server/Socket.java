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
 * One client connected to one namespace. Listeners run on this socket's own virtual thread, one
 * at a time in arrival order, so they may block. Acks the client sends back complete their futures
 * on another per-socket thread (also in arrival order), so a listener may block on its own
 * {@code emitWithAck(...).get()}. Every method may be called from any thread.
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

  /** The socket id: 20 random base64url characters, also the name of the socket's own room. */
  public String id() {
    return id;
  }

  public Namespace nsp() {
    return nsp;
  }

  public Handshake handshake() {
    return handshake;
  }

  /** Free-form per-socket data (socket.io's {@code socket.data}); visible through fetchSockets. */
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

  /** The current Engine.IO transport: {@code polling} or {@code websocket}. */
  public String transport() {
    return client.connection().transport();
  }

  /** The Engine.IO session id of the underlying connection. */
  public String connectionId() {
    return client.connection().id();
  }

  // ---- listeners ----

  /** Adds a listener for {@code event}. */
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

  /** Adds a listener whose first argument is mapped to {@code type}. */
  public <T> Socket on(String event, Class<T> type, TypedListener<T> listener) {
    return on(event, (args, ack) -> listener.onEvent(args.get(0, type), ack));
  }

  /** Removes every listener of {@code event}. */
  public synchronized Socket off(String event) {
    Map<String, EventListener> m = new HashMap<>(listeners);
    m.remove(event);
    listeners = SmallMap.copyOf(m);
    return this;
  }

  public synchronized Socket onAny(AnyListener listener) {
    anyListeners = CopyOnWrite.plus(anyListeners, listener);
    return this;
  }

  public synchronized Socket offAny(AnyListener listener) {
    anyListeners = CopyOnWrite.minus(anyListeners, listener);
    return this;
  }

  public synchronized Socket onAnyOutgoing(AnyListener listener) {
    anyOutgoing = CopyOnWrite.plus(anyOutgoing, listener);
    return this;
  }

  public synchronized Socket offAnyOutgoing(AnyListener listener) {
    anyOutgoing = CopyOnWrite.minus(anyOutgoing, listener);
    return this;
  }

  /** Adds a per-packet middleware. */
  public synchronized Socket use(PacketMiddleware middleware) {
    middlewares = CopyOnWrite.plus(middlewares, middleware);
    return this;
  }

  /** Called with the reason just before the socket leaves its rooms. */
  public synchronized Socket onDisconnecting(Consumer<DisconnectReason> listener) {
    disconnecting = CopyOnWrite.plus(disconnecting, listener);
    return this;
  }

  /** Called with the reason once the socket is disconnected. */
  public synchronized Socket onDisconnect(Consumer<DisconnectReason> listener) {
    disconnected = CopyOnWrite.plus(disconnected, listener);
    return this;
  }

  /** Called with errors from packet middlewares and listeners. */
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

  /** Sends {@code event} to this client. Returns true, as the reference does. */
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

  /** Sends {@code event} and completes with the client's ack, with no time limit. */
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

  /** An emitter whose {@code emitWithAck} fails with {@link AckTimeoutException} after {@code timeout}. */
  public SocketEmitter timeout(Duration timeout) {
    return new SocketEmitter(this, timeout, false);
  }

  /** An emitter that drops its packet when the connection is not ready to write. */
  public SocketEmitter asVolatile() {
    return new SocketEmitter(this, null, true);
  }

  /** Accepted for API parity; compression is decided per connection by the transport. */
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
   * Joins rooms. Throws {@link IllegalStateException} when that would put the socket in more than
   * {@code maxRoomsPerSocket} rooms (its own included).
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

  public Socket leave(String room) {
    nsp.adapter().del(id, room);
    return this;
  }

  /** The rooms this socket is in, its own id included. */
  public Set<String> rooms() {
    return nsp.adapter().socketRooms(id);
  }

  private BroadcastOperator others() {
    return new BroadcastOperator(nsp, Set.of(), Set.of(id), BroadcastOptions.Flags.NONE);
  }

  /** A broadcast to every other socket of the namespace. */
  public BroadcastOperator broadcast() {
    return others();
  }

  /** A broadcast to the other sockets in these rooms. */
  public BroadcastOperator to(String... rooms) {
    return others().to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return others().to(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return others().except(rooms);
  }

  public BroadcastOperator local() {
    return others().local();
  }

  // ---- lifecycle ----

  /**
   * Disconnects this socket from its namespace (the client gets a DISCONNECT packet); with
   * {@code close}, closes the whole connection and every namespace on it.
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
