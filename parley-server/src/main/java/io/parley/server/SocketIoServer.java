package io.parley.server;

import io.parley.protocol.SocketCodec;
import io.parley.server.engine.EngineConnection;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.EngineListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Socket.IO server ({@code io} in the reference): namespaces, with the main namespace
 * {@code /} reachable through the delegating methods. Knows nothing of sockets or HTTP: a
 * transport binding hands it each Engine.IO connection through {@link #onConnection(EngineConnection)}.
 *
 * <pre>{@code
 * ParleyServer server = ParleyServer.builder().port(3000).build();   // parley-netty
 * SocketIoServer io = server.io();
 * io.onConnection(socket -> {
 *   socket.on("hello", (args, ack) -> ack.send("hi " + args.get(0).asText()));
 * });
 * io.emit("news", Map.of("title", "hello"));   // to every socket of "/"
 * server.start();
 * }</pre>
 *
 * <h2>Threading</h2>
 * Packets are decoded on the connection's I/O thread, which never runs user code. Middlewares,
 * connection listeners and event listeners of a socket run on that socket's virtual thread, one at
 * a time, in arrival order: they may block. Emits may be called from any thread. Every public
 * method of this class is thread-safe; futures it returns complete on virtual threads, never on an
 * event loop.
 */
public final class SocketIoServer implements EngineHandler {
  static {
    io.parley.server.internal.ServerInternals.register(Internals.INSTANCE);
  }

  private final ServerOptions options;
  private final SocketCodec codec;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final Namespace main;
  private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
  /** Handler tasks running now, across every socket. */
  private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SocketIoServer.class);
  private static final ServerObserver[] NO_OBSERVERS = {};
  /** Copy-on-write; read on every connect, disconnect and room change. */
  private volatile ServerObserver[] observers = NO_OBSERVERS;
  /** The options' metrics, or a composite once {@link #addMetrics} was called. */
  private volatile ServerMetrics metrics;

  /**
   * A server with {@link ServerOptions#DEFAULT}. It serves nothing until a transport binding hands it
   * connections; {@code ParleyServer} (parley-netty) creates its own, reachable as {@code server.io()}.
   */
  public SocketIoServer() {
    this(ServerOptions.DEFAULT);
  }

  /**
   * A server with these options. Creates the main namespace {@code /} (and its adapter, through
   * {@link ServerOptions#adapterFactory()}) at once, a timer thread, and the virtual-thread executor
   * that runs the sockets' handlers; {@link #close} releases them.
   *
   * @param options the Socket.IO options (not the Engine.IO ones, which belong to the binding)
   */
  public SocketIoServer(ServerOptions options) {
    this.options = options;
    this.metrics = options.metrics();
    this.codec = new SocketCodec(options.mapper());
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "parley-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    this.scheduler = timer;
    this.blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-socket-", 0).factory());
    this.main = of("/");
  }

  /** The options this server was built with. */
  public ServerOptions options() {
    return options;
  }

  /**
   * Where the server reports its metrics: {@link ServerOptions#metrics()} plus whatever
   * {@link #addMetrics} added. Transport bindings report engine-level figures here.
   */
  public ServerMetrics metrics() {
    return metrics;
  }

  /**
   * Adds a metrics sink next to {@link ServerOptions#metrics()} (instrumentation attached after
   * the server was built, such as the admin UI). Each sink gets every call. Thread-safe; calls
   * already under way may still miss the new sink.
   */
  public synchronized void addMetrics(ServerMetrics more) {
    metrics = ServerMetrics.both(metrics, more);
  }

  /**
   * Adds an observer of every socket of this server, in every namespace; see {@link ServerObserver}
   * for the threads it is called on. Thread-safe; sockets already connected are not replayed to it.
   */
  public synchronized void addObserver(ServerObserver observer) {
    ServerObserver[] now = observers;
    ServerObserver[] next = java.util.Arrays.copyOf(now, now.length + 1);
    next[now.length] = observer;
    observers = next;
  }

  /** Removes an observer added with {@link #addObserver}. */
  public synchronized void removeObserver(ServerObserver observer) {
    observers = java.util.Arrays.stream(observers).filter(o -> o != observer).toArray(ServerObserver[]::new);
  }

  ServerObserver[] observers() {
    return observers;
  }

  /** Calls {@code fn} on each observer; an observer that throws is logged and skipped. */
  static void notify(ServerObserver[] obs, java.util.function.Consumer<ServerObserver> fn) {
    for (ServerObserver o : obs) {
      try {
        fn.accept(o);
      } catch (RuntimeException e) {
        log.warn("server observer {} failed", o, e);
      }
    }
  }

  SocketCodec codec() {
    return codec;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService blockingExecutor() {
    return blocking;
  }

  /**
   * The same outcome, delivered on a virtual thread: futures handed to users never complete on an
   * event loop, the timer or a cluster backend's thread, so a blocking continuation
   * ({@code thenAccept(... jdbc ...)}) cannot stall them.
   */
  <T> CompletableFuture<T> onVirtualThread(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((r, t) -> {
      Runnable complete = () -> {
        if (t == null) {
          out.complete(r);
        } else {
          out.completeExceptionally(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
        }
      };
      try {
        blocking.execute(complete);
      } catch (RejectedExecutionException e) {
        complete.run(); // shutting down: complete here rather than never
      }
    });
    return out;
  }

  /**
   * The namespace of that name, created on first use (with its adapter); a missing leading slash is
   * added. Like socket.io's {@code io.of("/chat")}: the same name always gives the same namespace.
   * Thread-safe.
   *
   * <pre>{@code
   * Namespace chat = io.of("/chat");
   * chat.use(socket -> checkToken(socket.handshake()));
   * chat.onConnection(socket -> socket.join("lobby"));
   * chat.to("lobby").emit("hello");
   * }</pre>
   *
   * @param name the namespace name, such as {@code /chat} or {@code chat}
   * @return the namespace, existing or new
   */
  public Namespace of(String name) {
    String n = name.startsWith("/") ? name : "/" + name;
    return namespaces.computeIfAbsent(n, k -> new Namespace(k, this, null));
  }

  /**
   * A dynamic namespace, as socket.io's {@code io.of((name, auth, next) => ...)}: a client connecting
   * to a namespace that does not exist yet, whose name {@code matcher} accepts, creates a child
   * namespace of that name, with the middlewares and connection listeners of the returned parent.
   * Names created with {@link #of(String)} take precedence; parents are tried in the order they were
   * made. Each call makes a new parent. The predicate runs on the connection's event loop: it must
   * not block.
   *
   * <pre>{@code
   * ParentNamespace workspaces = io.of(name -> name.startsWith("/workspace-"));
   * workspaces.onConnection(socket -> {
   *   Namespace workspace = socket.nsp();   // the child, e.g. "/workspace-42"
   *   workspace.emit("joined", socket.id());
   * });
   * }</pre>
   *
   * @param matcher accepts the names (leading slash included) that become child namespaces
   * @return the new parent namespace
   */
  public ParentNamespace of(Predicate<String> matcher) {
    ParentNamespace p = new ParentNamespace(matcher, this, "/_" + parents.size());
    parents.add(p);
    return p;
  }

  /**
   * A dynamic namespace for names matching the whole regular expression, as socket.io's
   * {@code io.of(/^\/dynamic-\d+$/)}; see {@link #of(Predicate)}.
   *
   * <pre>{@code
   * io.of(Pattern.compile("/dynamic-\\d+")).onConnection(socket -> socket.emit("welcome", socket.nsp().name()));
   * }</pre>
   *
   * @param pattern matched against the whole name, leading slash included
   * @return the new parent namespace
   */
  public ParentNamespace of(Pattern pattern) {
    return of(name -> pattern.matcher(name).matches());
  }

  Namespace namespaceFor(String name) {
    Namespace n = namespaces.get(name);
    if (n != null) {
      return n;
    }
    for (ParentNamespace p : parents) {
      if (p.matches(name)) {
        return p.child(name);
      }
    }
    return null;
  }

  Namespace createChild(String name, ParentNamespace parent) {
    return namespaces.computeIfAbsent(name, k -> new Namespace(k, this, parent));
  }

  void removeNamespace(Namespace nsp) {
    if (namespaces.remove(nsp.name(), nsp)) {
      nsp.adapter().close();
    }
  }

  /**
   * The namespaces that exist now (a snapshot; dynamic children included, their parents not),
   * without creating any.
   */
  public java.util.Collection<Namespace> namespaces() {
    return List.copyOf(namespaces.values());
  }

  /** Names of the namespaces that exist now (a snapshot, as {@link #namespaces()}). */
  public Set<String> namespaceNames() {
    return Set.copyOf(namespaces.keySet());
  }

  /**
   * Called by the transport binding for each new Engine.IO connection, on that connection's thread;
   * not for applications (to listen for sockets, see {@link #onConnection(ConnectionListener)}).
   * The connection is closed unless one of its sockets joins a namespace within
   * {@link ServerOptions#connectTimeout()}.
   */
  @Override
  public EngineListener onConnection(EngineConnection connection) {
    Client c = new Client(this, connection);
    clients.add(c);
    return c;
  }

  void forget(Client c) {
    clients.remove(c);
  }

  /** Number of Engine.IO connections open now (each may carry sockets in several namespaces). */
  public int connectionCount() {
    return clients.size();
  }

  /** Number of Engine.IO connections open now on the polling transport (counted on each call). */
  public int pollingConnectionCount() {
    int n = 0;
    for (Client c : clients) {
      if ("polling".equals(c.connection().transport())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Shuts the server down, like socket.io's {@code io.close()}: no new event is dispatched, handlers
   * already running get up to {@link ServerOptions#shutdownTimeout()} to finish (their acks still go
   * out), then every socket is disconnected with {@link DisconnectReason#SERVER_SHUTTING_DOWN} and its
   * connection closed without a DISCONNECT packet (so clients reconnect, to another node if there is
   * one), the adapters are closed, and the disconnect listeners get the rest of the bound. Blocks the
   * caller meanwhile; a second call returns at once. The transport binding stops accepting first
   * ({@code ParleyServer.close()} calls this).
   *
   * <p>Do not call it from a socket's handler: it would wait the whole {@code shutdownTimeout} for
   * that handler, its own caller, to finish.
   */
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    // 1. No new events start; handlers already running (a JDBC write, then its ack) finish, within
    //    shutdownTimeout, while the connections are still open to carry their acks.
    long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
    try {
      while (busy.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // 2. Close every connection without a DISCONNECT packet, so clients reconnect (to another node).
    for (Client c : clients) {
      c.close(DisconnectReason.SERVER_SHUTTING_DOWN);
    }
    namespaces.values().forEach(n -> n.adapter().close());
    scheduler.shutdownNow();
    blocking.shutdown();
    try {
      // 3. The disconnect listeners just queued get the rest of the bound.
      long left = Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      if (!blocking.awaitTermination(left, TimeUnit.MILLISECONDS)) {
        blocking.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #close} has begun. */
  public boolean isClosing() {
    return closing.get();
  }

  java.util.concurrent.atomic.AtomicInteger busyHandlers() {
    return busy;
  }

  // ---- the main namespace ----

  /** The main namespace {@code /}, as socket.io's {@code io.sockets}; the same as {@code of("/")}. */
  public Namespace sockets() {
    return main;
  }

  /**
   * Adds a connection middleware to the main namespace, like socket.io's {@code io.use(fn)}; see
   * {@link Namespace#use}. It runs on the connecting socket's virtual thread and may block.
   *
   * <pre>{@code
   * io.use(socket -> {
   *   String token = socket.handshake().auth().path("token").asText(null);
   *   if (token == null) {
   *     throw new ConnectError("not authorized", Map.of("code", "NO_TOKEN"));
   *   }
   *   socket.data().put("user", users.byToken(token));   // may block (JDBC, HTTP)
   * });
   * }</pre>
   *
   * @param m the middleware; throw from it to refuse the connection
   * @return this server, for chaining
   */
  public SocketIoServer use(Middleware m) {
    main.use(m);
    return this;
  }

  /**
   * Adds a listener for sockets joining the main namespace, like socket.io's
   * {@code io.on("connection", socket => ...)}; see {@link Namespace#onConnection}.
   *
   * @param l called on each new socket's virtual thread, before the client sees it connected
   * @return this server, for chaining
   */
  public SocketIoServer onConnection(ConnectionListener l) {
    main.onConnection(l);
    return this;
  }

  /**
   * {@code io.on("connection", socket -> ...)}, as written in socket.io: the same as
   * {@link #onConnection(ConnectionListener)}.
   *
   * @param event {@code "connection"} or {@code "connect"}; anything else throws
   *     {@link IllegalArgumentException}
   * @param l the connection listener
   * @return this server, for chaining
   */
  public SocketIoServer on(String event, ConnectionListener l) {
    main.on(event, l);
    return this;
  }

  /**
   * Listens on the main namespace for an event that another node of the cluster sent with
   * {@link #serverSideEmit}, like socket.io's {@code io.on("event", (...args) => ...)}; see
   * {@link Namespace#on(String, EventListener)}. Not for events from clients: those are listened
   * for on each {@link Socket}.
   *
   * @param event the event name
   * @param l called on a virtual thread with the event's arguments and, for
   *     {@link #serverSideEmitWithAck}, the ack to answer the sending node with
   * @return this server, for chaining
   */
  public SocketIoServer on(String event, EventListener l) {
    main.on(event, l);
    return this;
  }

  /**
   * Targets the sockets of the main namespace in any of these rooms, like socket.io's
   * {@code io.to(room)}; chain more rooms, exclusions and flags, then emit. See
   * {@link BroadcastOperator#to}.
   *
   * <pre>{@code
   * io.to("room1").emit("an event", Map.of("some", "data"));
   * io.to("room1", "room2").emit("an event");                       // in room1 or room2 (once each)
   * io.to(otherSocketId).emit("private message", socket.id(), text);   // a socket's own room
   * }</pre>
   *
   * @param rooms room names (a socket id names that socket's own room)
   * @return an immutable operator, safe to keep and reuse from any thread
   */
  public BroadcastOperator to(String... rooms) {
    return main.to(rooms);
  }

  /**
   * The same as {@link #to}, like socket.io's {@code io.in(room)}.
   *
   * <pre>{@code
   * io.in("room1").socketsJoin("room2");
   * io.in("room1").fetchSockets().thenAccept(sockets -> ...);
   * }</pre>
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public BroadcastOperator in(String... rooms) {
    return main.in(rooms);
  }

  /**
   * Leaves out the sockets in any of these rooms, like socket.io's {@code io.except(room)}.
   *
   * <pre>{@code
   * io.except("room1").emit("news");                 // everyone but room1
   * io.to("room2").except("room3").emit("news");     // room2, minus those also in room3
   * }</pre>
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public BroadcastOperator except(String... rooms) {
    return main.except(rooms);
  }

  /**
   * Restricts the operation to the sockets of this node, like socket.io's {@code io.local}: with a
   * cluster adapter, nothing is sent to the other nodes.
   *
   * <pre>{@code
   * io.local().emit("hello", "world");
   * }</pre>
   *
   * @return an immutable operator
   */
  public BroadcastOperator local() {
    return main.local();
  }

  /**
   * Marks the emit volatile, like socket.io's {@code io.volatile}: a connection not ready to write
   * (a WebSocket over its write buffer, a polling client with no GET waiting) drops the packet instead
   * of queueing it. For frequent, disposable updates. ({@code volatile} is a Java keyword.)
   *
   * <pre>{@code
   * io.asVolatile().emit("position", x, y);
   * }</pre>
   *
   * @return an immutable operator
   */
  public BroadcastOperator asVolatile() {
    return main.asVolatile();
  }

  /**
   * The compress flag, like socket.io's {@code io.compress(false)}; see
   * {@link BroadcastOperator#compress}: carried to other nodes but not applied by Parley itself.
   *
   * @param c whether the packet may be compressed
   * @return an immutable operator
   */
  public BroadcastOperator compress(boolean c) {
    return main.compress(c);
  }

  /**
   * Sets how long the next {@code emitWithAck} waits for the acks (and, in a cluster, how long
   * {@code fetchSockets} waits for the other nodes), like socket.io's {@code io.timeout(ms)}.
   *
   * <pre>{@code
   * io.timeout(Duration.ofSeconds(10)).emitWithAck("some-event").whenComplete((replies, err) -> {
   *   if (err instanceof AckTimeoutException t) {
   *     log.info("only {} clients answered in time", t.partial().size());
   *   } else if (err == null) {
   *     log.info("{} replies", replies.size());   // one Args per client
   *   }
   * });
   * }</pre>
   *
   * @param d the timeout
   * @return an immutable operator
   */
  public BroadcastOperator timeout(Duration d) {
    return main.timeout(d);
  }

  /**
   * Sends an event to every socket of the main namespace (of every node, with a cluster adapter),
   * like socket.io's {@code io.emit(event, ...args)}. The packet is encoded once and written to each
   * recipient's connection from its own thread; this method does not wait for the writes. Callable
   * from any thread.
   *
   * <pre>{@code
   * io.emit("hello", "world");
   * io.emit("with-binary", 1, "2", Map.of("3", "4", "5", new byte[] {6}));
   * }</pre>
   *
   * @param event the event name; a reserved one ({@code connect}, {@code disconnect}, ...) throws
   *     {@link IllegalArgumentException}
   * @param args the arguments, serialised by the server's Jackson mapper; {@code byte[]} values
   *     become binary attachments
   * @return true, as the reference does
   */
  public boolean emit(String event, Object... args) {
    return main.emit(event, args);
  }

  /**
   * Sends an event to every socket of the main namespace and collects one ack per socket, like
   * socket.io's {@code io.timeout(ms).emitWithAck(event)}; see {@link BroadcastOperator#emitWithAck}.
   * Without {@link #timeout}, waits at most 5 seconds.
   *
   * <pre>{@code
   * try {
   *   List<Args> replies = io.timeout(Duration.ofSeconds(5)).emitWithAck("some-event").get();
   * } catch (ExecutionException e) {
   *   if (e.getCause() instanceof AckTimeoutException t) {
   *     List<Args> inTime = t.partial();   // some clients did not answer in time
   *   }
   * }
   * }</pre>
   *
   * @param event the event name
   * @param args the arguments
   * @return completes, on a virtual thread, with every reply once all recipients answered, or
   *     exceptionally with {@link AckTimeoutException}
   */
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return main.emitWithAck(event, args);
  }

  /**
   * The sockets of the main namespace, of every node with a cluster adapter, like socket.io's
   * {@code io.fetchSockets()}; narrow it with {@code io.in(room).fetchSockets()}.
   *
   * <pre>{@code
   * io.fetchSockets().thenAccept(sockets -> {
   *   for (RemoteSocket s : sockets) {
   *     log.info("{} {} {}", s.id(), s.rooms(), s.data());
   *   }
   * });
   * }</pre>
   *
   * @return completes on a virtual thread with snapshots of the sockets; fails with a
   *     {@code TimeoutException} when another node does not answer in time
   */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return main.fetchSockets();
  }

  /**
   * Makes every socket of the main namespace join these rooms, like socket.io's
   * {@code io.socketsJoin(rooms)}; narrow it with {@code io.in(room).socketsJoin(...)}. Local sockets
   * join before this returns; other nodes apply it when their adapter receives the request.
   *
   * <pre>{@code
   * io.socketsJoin("room1");                              // every socket
   * io.in("room1").socketsJoin("room2", "room3");
   * io.in(theSocketId).socketsJoin("room1");             // one socket, wherever it is
   * }</pre>
   *
   * @param rooms the rooms to join
   */
  public void socketsJoin(String... rooms) {
    main.socketsJoin(rooms);
  }

  /**
   * Makes every socket of the main namespace leave these rooms, like socket.io's
   * {@code io.socketsLeave(rooms)}; narrow it with {@code io.in(room).socketsLeave(...)}.
   *
   * <pre>{@code
   * io.in("room1").socketsLeave("room2");
   * }</pre>
   *
   * @param rooms the rooms to leave
   */
  public void socketsLeave(String... rooms) {
    main.socketsLeave(rooms);
  }

  /**
   * Disconnects every socket of the main namespace, like socket.io's
   * {@code io.disconnectSockets(close)}; narrow it with {@code io.in(room).disconnectSockets(...)}.
   * Each gets a DISCONNECT packet and the reason {@link DisconnectReason#SERVER_NAMESPACE_DISCONNECT}.
   *
   * <pre>{@code
   * io.disconnectSockets(false);                 // every socket leaves "/"
   * io.in("room1").disconnectSockets(true);      // and their connections close
   * }</pre>
   *
   * @param close also close the underlying connections (every namespace on them)
   */
  public void disconnectSockets(boolean close) {
    main.disconnectSockets(close);
  }

  /**
   * Sends an event to the other nodes of the cluster (not to clients), like socket.io's
   * {@code io.serverSideEmit(event, ...args)}; they receive it with {@link #on(String, EventListener)}.
   * Does nothing with the in-memory adapter of a single node.
   *
   * <pre>{@code
   * io.serverSideEmit("hello", "world");
   * // on every other node:
   * io.on("hello", (args, ack) -> log.info(args.get(0).asText()));   // "world"
   * }</pre>
   *
   * @param event the event name
   * @param args the arguments, serialised by the server's Jackson mapper
   */
  public void serverSideEmit(String event, Object... args) {
    main.serverSideEmit(event, args);
  }

  /**
   * Sends an event to the other nodes of the cluster and collects one ack per node, like socket.io's
   * {@code io.timeout(ms).serverSideEmitWithAck(event, ...args)}.
   *
   * <pre>{@code
   * io.serverSideEmitWithAck("ping", Duration.ofSeconds(5)).thenAccept(replies -> ...);
   * // on every other node:
   * io.on("ping", (args, ack) -> ack.send("pong"));
   * }</pre>
   *
   * @param event the event name
   * @param timeout how long to wait for every other node
   * @param args the arguments
   * @return completes on a virtual thread with one reply per other node (empty on a single node),
   *     or fails with a {@code TimeoutException}
   */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
    return main.serverSideEmitWithAck(event, timeout, args);
  }
}
