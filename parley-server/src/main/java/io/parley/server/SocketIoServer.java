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
 * transport binding hands it each Engine.IO connection through {@link #onConnection}.
 *
 * <h2>Threading</h2>
 * Packets are decoded on the connection's I/O thread, which never runs user code. Middlewares,
 * connection listeners and event listeners of a socket run on that socket's virtual thread, one at
 * a time, in arrival order: they may block. Emits may be called from any thread.
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

  public SocketIoServer() {
    this(ServerOptions.DEFAULT);
  }

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
   * the server was built, such as the admin UI). Each sink gets every call.
   */
  public synchronized void addMetrics(ServerMetrics more) {
    metrics = ServerMetrics.both(metrics, more);
  }

  /** Adds an observer of every socket of this server; see {@link ServerObserver}. */
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

  /** The namespace of that name, created on first use; a missing leading slash is added. */
  public Namespace of(String name) {
    String n = name.startsWith("/") ? name : "/" + name;
    return namespaces.computeIfAbsent(n, k -> new Namespace(k, this, null));
  }

  /** A dynamic namespace: any name the predicate accepts becomes a child namespace on connection. */
  public ParentNamespace of(Predicate<String> matcher) {
    ParentNamespace p = new ParentNamespace(matcher, this, "/_" + parents.size());
    parents.add(p);
    return p;
  }

  /** A dynamic namespace for names matching the whole regular expression. */
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

  /** The namespaces that exist now (a snapshot; dynamic children included), without creating any. */
  public java.util.Collection<Namespace> namespaces() {
    return List.copyOf(namespaces.values());
  }

  /** Names of the namespaces that exist now. */
  public Set<String> namespaceNames() {
    return Set.copyOf(namespaces.keySet());
  }

  @Override
  public EngineListener onConnection(EngineConnection connection) {
    Client c = new Client(this, connection);
    clients.add(c);
    return c;
  }

  void forget(Client c) {
    clients.remove(c);
  }

  /** Number of Engine.IO connections open now. */
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
   * Disconnects every socket with {@code server shutting down}, closes the connections and the
   * adapters. The transport binding stops accepting first.
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

  public Namespace sockets() {
    return main;
  }

  public SocketIoServer use(Middleware m) {
    main.use(m);
    return this;
  }

  public SocketIoServer onConnection(ConnectionListener l) {
    main.onConnection(l);
    return this;
  }

  public SocketIoServer on(String event, ConnectionListener l) {
    main.on(event, l);
    return this;
  }

  public SocketIoServer on(String event, EventListener l) {
    main.on(event, l);
    return this;
  }

  public BroadcastOperator to(String... rooms) {
    return main.to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return main.in(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return main.except(rooms);
  }

  public BroadcastOperator local() {
    return main.local();
  }

  public BroadcastOperator asVolatile() {
    return main.asVolatile();
  }

  public BroadcastOperator compress(boolean c) {
    return main.compress(c);
  }

  public BroadcastOperator timeout(Duration d) {
    return main.timeout(d);
  }

  public boolean emit(String event, Object... args) {
    return main.emit(event, args);
  }

  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return main.emitWithAck(event, args);
  }

  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return main.fetchSockets();
  }

  public void socketsJoin(String... rooms) {
    main.socketsJoin(rooms);
  }

  public void socketsLeave(String... rooms) {
    main.socketsLeave(rooms);
  }

  public void disconnectSockets(boolean close) {
    main.disconnectSockets(close);
  }

  public void serverSideEmit(String event, Object... args) {
    main.serverSideEmit(event, args);
  }

  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
    return main.serverSideEmitWithAck(event, timeout, args);
  }
}
