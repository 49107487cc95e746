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
 * and adapter. Every method is thread-safe. The broadcast methods ({@code to}, {@code emit},
 * {@code fetchSockets}, ...) start a {@link BroadcastOperator} aimed at every socket of the
 * namespace, on every node with a cluster adapter.
 *
 * <pre>{@code
 * Namespace orders = io.of("/orders");
 * orders.use(socket -> authenticate(socket.handshake()));
 * orders.onConnection(socket -> socket.join("customer:" + socket.data().get("customerId")));
 * orders.to("customer:42").emit("order:shipped", order);
 * }</pre>
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

  /** The name, with its leading slash ({@code /}, {@code /chat}), as socket.io's {@code namespace.name}. */
  public String name() {
    return name;
  }

  /** The server this namespace belongs to. */
  public SocketIoServer server() {
    return server;
  }

  /**
   * The adapter of this namespace, made by {@link ServerOptions#adapterFactory()}, as socket.io's
   * {@code namespace.adapter}: the room registry and broadcaster (cast it to a cluster backend's type
   * for what only that backend offers).
   */
  public Adapter adapter() {
    return adapter;
  }

  SocketCodec codec() {
    return server.codec();
  }

  long nextAckId() {
    return ackIds.getAndIncrement();
  }

  /**
   * Adds a connection middleware, like socket.io's {@code namespace.use(fn)}. Middlewares run in
   * the order added, on the connecting socket's virtual thread (they may block), before the socket
   * joins the namespace; the first to throw refuses the connection (see {@link Middleware}). A
   * middleware added to a {@link ParentNamespace} runs for every child, before the child's own.
   * Sockets already connected are not affected.
   *
   * <pre>{@code
   * io.of("/admin").use(socket -> {
   *   if (!isAdmin(socket.handshake().auth())) {
   *     throw new ConnectError("forbidden");
   *   }
   * });
   * }</pre>
   *
   * @param middleware the middleware
   * @return this namespace, for chaining
   */
  public Namespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  /**
   * Adds a listener called for every socket that joins this namespace, like socket.io's
   * {@code namespace.on("connection", socket => ...)}. Listeners run in the order added, on the
   * socket's virtual thread (they may block), after the middlewares passed and the socket joined its
   * own room, and before the client receives the CONNECT reply: rooms they join are in place when
   * anyone learns the socket is connected, and what they emit follows the reply. An exception is
   * logged; the socket stays connected.
   *
   * <pre>{@code
   * io.of("/chat").onConnection(socket -> {
   *   socket.join("lobby");
   *   socket.on("message", (args, ack) -> socket.to("lobby").emit("message", args.toArray()));
   * });
   * }</pre>
   *
   * @param listener the listener
   * @return this namespace, for chaining
   */
  public Namespace onConnection(ConnectionListener listener) {
    connectionListeners.add(listener);
    return this;
  }

  /**
   * {@code on("connection", socket -> ...)}, as written in socket.io: the same as
   * {@link #onConnection}.
   *
   * @param event {@code "connection"} or {@code "connect"}; anything else throws
   *     {@link IllegalArgumentException}
   * @param listener the connection listener
   * @return this namespace, for chaining
   */
  public Namespace on(String event, ConnectionListener listener) {
    if (!"connection".equals(event) && !"connect".equals(event)) {
      throw new IllegalArgumentException("a socket listener needs the event \"connection\", not \"" + event + "\"");
    }
    return onConnection(listener);
  }

  /**
   * Listens for an event that another node of the cluster sends with {@link #serverSideEmit} or
   * {@link #serverSideEmitWithAck}, like socket.io's {@code namespace.on(event, (...args) => ...)}.
   * Listeners run on a virtual thread (they may block), in the order added; for
   * {@code serverSideEmitWithAck} the {@link Ack} answers the sending node (one argument is carried).
   * Events from clients are listened for on each {@link Socket} instead.
   *
   * <pre>{@code
   * io.of("/").on("cache:invalidate", (args, ack) -> {
   *   cache.remove(args.get(0).asText());
   *   ack.send("done");   // ignored unless the sender asked for acks
   * });
   * }</pre>
   *
   * @param event the event name
   * @param listener the listener
   * @return this namespace, for chaining
   */
  public Namespace on(String event, EventListener listener) {
    serverListeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
    return this;
  }

  /**
   * The sockets connected to this namespace on this node, by id (a live, read-only, thread-safe
   * view), as socket.io's {@code namespace.sockets}. For the sockets of every node, use
   * {@link #fetchSockets}.
   */
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

  /**
   * A broadcast to every socket of the namespace: the start of an operator chain, which the other
   * broadcast methods of this class begin with.
   *
   * @return an immutable operator, safe to keep and reuse from any thread
   */
  public BroadcastOperator broadcast() {
    return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastOptions.Flags.NONE);
  }

  /**
   * Targets the sockets in any of these rooms, like socket.io's {@code namespace.to(room)}; see
   * {@link BroadcastOperator#to}.
   *
   * <pre>{@code
   * io.of("/chat").to("room1").emit("message", "hello room1");
   * }</pre>
   *
   * @param rooms room names (a socket id names that socket's own room)
   * @return an immutable operator
   */
  public BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  /**
   * The same as {@link #to}, like socket.io's {@code namespace.in(room)}.
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public BroadcastOperator in(String... rooms) {
    return broadcast().to(rooms);
  }

  /**
   * Leaves out the sockets in any of these rooms, like socket.io's {@code namespace.except(room)}.
   *
   * <pre>{@code
   * io.of("/chat").except("muted").emit("announcement", text);
   * }</pre>
   *
   * @param rooms room names
   * @return an immutable operator
   */
  public BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  /**
   * Restricts the operation to this node's sockets, like socket.io's {@code namespace.local}.
   *
   * @return an immutable operator
   */
  public BroadcastOperator local() {
    return broadcast().local();
  }

  /**
   * Marks the emit volatile (dropped for connections not ready to write), like socket.io's
   * {@code namespace.volatile}; see {@link BroadcastOperator#asVolatile}.
   *
   * @return an immutable operator
   */
  public BroadcastOperator asVolatile() {
    return broadcast().asVolatile();
  }

  /**
   * The compress flag, like socket.io's {@code namespace.compress(value)}; see
   * {@link BroadcastOperator#compress}.
   *
   * @param compress whether the packet may be compressed
   * @return an immutable operator
   */
  public BroadcastOperator compress(boolean compress) {
    return broadcast().compress(compress);
  }

  /**
   * Sets the ack timeout of the next {@code emitWithAck}, like socket.io's
   * {@code namespace.timeout(ms)}; see {@link BroadcastOperator#timeout}.
   *
   * @param timeout the timeout
   * @return an immutable operator
   */
  public BroadcastOperator timeout(Duration timeout) {
    return broadcast().timeout(timeout);
  }

  /**
   * Sends an event to every socket of the namespace, like socket.io's
   * {@code namespace.emit(event, ...args)}; see {@link BroadcastOperator#emit}.
   *
   * <pre>{@code
   * io.of("/chat").emit("hello", "everyone");
   * }</pre>
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments, serialised by Jackson; {@code byte[]} values become attachments
   * @return true, as the reference does
   */
  public boolean emit(String event, Object... args) {
    return broadcast().emit(event, args);
  }

  /**
   * Sends an event to every socket of the namespace and collects their acks, like socket.io's
   * {@code namespace.timeout(ms).emitWithAck(event)}; see {@link BroadcastOperator#emitWithAck}
   * (5 s without {@link #timeout}).
   *
   * <pre>{@code
   * io.of("/chat").timeout(Duration.ofSeconds(2)).emitWithAck("are-you-there")
   *     .thenAccept(replies -> log.info("{} sockets answered", replies.size()));
   * }</pre>
   *
   * @param event the event name
   * @param args the arguments
   * @return completes on a virtual thread with one reply per socket, or with
   *     {@link AckTimeoutException}
   */
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return broadcast().emitWithAck(event, args);
  }

  /**
   * The sockets of the namespace, of every node with a cluster adapter, like socket.io's
   * {@code namespace.fetchSockets()}; see {@link BroadcastOperator#fetchSockets}.
   *
   * <pre>{@code
   * io.of("/chat").in("room1").fetchSockets()
   *     .thenAccept(sockets -> sockets.forEach(s -> s.emit("hello")));
   * }</pre>
   *
   * @return completes on a virtual thread with snapshots of the sockets
   */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return broadcast().fetchSockets();
  }

  /**
   * Makes every socket of the namespace join these rooms, like socket.io's
   * {@code namespace.socketsJoin(rooms)}; see {@link BroadcastOperator#socketsJoin}.
   *
   * <pre>{@code
   * io.of("/chat").in("room1").socketsJoin("room2");
   * }</pre>
   *
   * @param rooms the rooms to join
   */
  public void socketsJoin(String... rooms) {
    broadcast().socketsJoin(rooms);
  }

  /**
   * Makes every socket of the namespace leave these rooms, like socket.io's
   * {@code namespace.socketsLeave(rooms)}; see {@link BroadcastOperator#socketsLeave}.
   *
   * @param rooms the rooms to leave
   */
  public void socketsLeave(String... rooms) {
    broadcast().socketsLeave(rooms);
  }

  /**
   * Disconnects every socket of the namespace, like socket.io's
   * {@code namespace.disconnectSockets(close)}; see {@link BroadcastOperator#disconnectSockets}.
   *
   * <pre>{@code
   * io.of("/chat").in("room1").disconnectSockets(false);
   * }</pre>
   *
   * @param close also close the underlying connections (every namespace on them)
   */
  public void disconnectSockets(boolean close) {
    broadcast().disconnectSockets(close);
  }

  /**
   * Sends an event to the other nodes of the cluster (not to clients), like socket.io's
   * {@code namespace.serverSideEmit(event, ...args)}; they receive it with
   * {@link #on(String, EventListener)} on the namespace of the same name. Does nothing on a single
   * node with the in-memory adapter; returns without waiting for the cluster backend.
   *
   * <pre>{@code
   * io.of("/chat").serverSideEmit("hello", "world");
   * }</pre>
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments, serialised by the server's Jackson mapper
   */
  public void serverSideEmit(String event, Object... args) {
    Socket.checkEventName(event);
    adapter.serverSideEmit(Socket.eventData(event, args));
  }

  /**
   * As {@link #serverSideEmit}, collecting one ack per other node, like socket.io's
   * {@code namespace.timeout(ms).serverSideEmitWithAck(event, ...args)}.
   *
   * <pre>{@code
   * io.of("/").serverSideEmitWithAck("count-users", Duration.ofSeconds(3))
   *     .thenAccept(replies -> log.info("{} other nodes answered", replies.size()));
   * }</pre>
   *
   * @param event the event name (not a reserved one)
   * @param timeout how long to wait for every other node
   * @param args the arguments
   * @return completes on a virtual thread with one reply per other node (at once and empty on a
   *     single node), or fails with a {@code TimeoutException} when a node does not answer in time
   */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
    Socket.checkEventName(event);
    return server.onVirtualThread(adapter.serverSideEmitWithAck(Socket.eventData(event, args), timeout));
  }

  /**
   * Delivers an event sent by another node ({@code serverSideEmit}) to the listeners added with
   * {@link #on(String, EventListener)}, on a virtual thread; returns at once. Called by cluster
   * adapters, from their own thread; an event nobody listens for is dropped.
   *
   * @param event the event name
   * @param args its arguments
   * @param ack answers the sending node, or {@link Ack#NONE} when it asked for no ack
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
