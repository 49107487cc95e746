package io.parley.server;

import io.parley.server.adapter.Adapter;
import io.parley.server.adapter.BroadcastOptions;
import io.parley.protocol.SocketCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO namespace ({@code io.of("/chat")}): its middlewares, connection listeners, sockets
 * and adapter. Every method is thread-safe.
 */
public class Namespace {
  private static final Logger log = LoggerFactory.getLogger(Namespace.class);

  private final String name;
  private final SocketIoServer server;
  private final ParentNamespace parent;
  private final Adapter adapter;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  final Map<String, List<EventListener>> serverListeners = new ConcurrentHashMap<>();
  private final AtomicLong ackIds = new AtomicLong();

  Namespace(String name, SocketIoServer server, ParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.parent = parent;
    this.adapter = createAdapter(server);
    this.adapter.init();
  }

  Adapter createAdapter(SocketIoServer server) {
    return server.options().adapterFactory().apply(this);
  }

  public String name() {
    return name;
  }

  public SocketIoServer server() {
    return server;
  }

  public Adapter adapter() {
    return adapter;
  }

  SocketCodec codec() {
    return server.codec();
  }

  long nextAckId() {
    return ackIds.getAndIncrement();
  }

  /** Adds a connection middleware; middlewares run in the order added. */
  public Namespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  /** Adds a listener called for every socket that joins this namespace. */
  public Namespace onConnection(ConnectionListener listener) {
    connectionListeners.add(listener);
    return this;
  }

  /** {@code on("connection", socket -> ...)}, as in the reference ({@code "connect"} too). */
  public Namespace on(String event, ConnectionListener listener) {
    if (!"connection".equals(event) && !"connect".equals(event)) {
      throw new IllegalArgumentException("a socket listener needs the event \"connection\", not \"" + event + "\"");
    }
    return onConnection(listener);
  }

  /** Listens for events that other nodes send with {@code serverSideEmit}. */
  public Namespace on(String event, EventListener listener) {
    serverListeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
    return this;
  }

  /** The sockets connected to this namespace on this node, by id (a live, read-only view). */
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  Collection<Socket> localSockets() {
    return sockets.values();
  }

  Socket localSocket(String id) {
    return sockets.get(id);
  }

  void add(Socket socket) {
    sockets.put(socket.id(), socket);
  }

  void remove(Socket socket) {
    // by identity: a recovered socket with the same id may already have replaced it
    sockets.remove(socket.id(), socket);
    if (parent != null && sockets.isEmpty() && server.options().cleanupEmptyChildNamespaces()) {
      parent.removeChild(this);
    }
  }

  ParentNamespace parent() {
    return parent;
  }

  List<Middleware> allMiddlewares() {
    if (parent == null) {
      return middlewares;
    }
    List<Middleware> all = new java.util.ArrayList<>(parent.middlewares);
    all.addAll(middlewares);
    return all;
  }

  List<ConnectionListener> allConnectionListeners() {
    if (parent == null) {
      return connectionListeners;
    }
    List<ConnectionListener> all = new java.util.ArrayList<>(parent.connectionListeners);
    all.addAll(connectionListeners);
    return all;
  }

  /** A broadcast to everyone in the namespace; start of the operator chain. */
  public BroadcastOperator broadcast() {
    return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastOptions.Flags.NONE);
  }

  public BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return broadcast().to(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  public BroadcastOperator local() {
    return broadcast().local();
  }

  public BroadcastOperator asVolatile() {
    return broadcast().asVolatile();
  }

  public BroadcastOperator compress(boolean compress) {
    return broadcast().compress(compress);
  }

  public BroadcastOperator timeout(Duration timeout) {
    return broadcast().timeout(timeout);
  }

  public boolean emit(String event, Object... args) {
    return broadcast().emit(event, args);
  }

  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return broadcast().emitWithAck(event, args);
  }

  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return broadcast().fetchSockets();
  }

  public void socketsJoin(String... rooms) {
    broadcast().socketsJoin(rooms);
  }

  public void socketsLeave(String... rooms) {
    broadcast().socketsLeave(rooms);
  }

  public void disconnectSockets(boolean close) {
    broadcast().disconnectSockets(close);
  }

  /** Sends an event to the other nodes of the cluster; they receive it with {@link #on(String, EventListener)}. */
  public void serverSideEmit(String event, Object... args) {
    Socket.checkEventName(event);
    adapter.serverSideEmit(Socket.eventData(event, args));
  }

  /** As {@link #serverSideEmit}, waiting for one ack per other node. */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
    Socket.checkEventName(event);
    return server.onVirtualThread(adapter.serverSideEmitWithAck(Socket.eventData(event, args), timeout));
  }

  /**
   * Delivers an event sent by another node ({@code serverSideEmit}) to the listeners, on a virtual
   * thread. Called by cluster adapters.
   */
  public void onServerSideEmit(String event, Args args, Ack ack) {
    List<EventListener> ls = serverListeners.get(event);
    if (ls == null) {
      return;
    }
    server.blockingExecutor().execute(() -> {
      for (EventListener l : ls) {
        try {
          l.onEvent(args, ack);
        } catch (Exception e) {
          log.warn("serverSideEmit listener for {} failed", event, e);
        }
      }
    });
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
