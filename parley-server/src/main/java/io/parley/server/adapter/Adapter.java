package io.parley.server.adapter;

import io.parley.server.Args;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.ServerObserver;
import io.parley.server.Socket;
import io.parley.server.internal.MemberSet;
import io.parley.server.internal.PendingAck;
import io.parley.server.internal.ServerInternals;
import io.parley.server.recovery.RecoveryOptions;
import io.parley.server.recovery.RecoveryStore;
import io.parley.server.recovery.Session;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The room registry and broadcaster of one namespace, as socket.io's {@code Adapter}: this base
 * class is the in-memory adapter of a single node. A cluster backend extends it, forwards what it
 * must to the other nodes, and calls the local methods for what they send back (or extends
 * {@link ClusterAdapter}, which does that with socket.io's cluster protocol). One instance per
 * namespace, made by {@link io.parley.server.ServerOptions#adapterFactory()}; applications reach it
 * through {@code Namespace.adapter()} but normally use the broadcast operators instead.
 *
 * <pre>{@code
 * // a backend: forward broadcasts, deliver what the other nodes send
 * public final class MyAdapter extends Adapter {
 *   MyAdapter(Namespace nsp) { super(nsp); }
 *
 *   public void broadcast(Object[] data, BroadcastOptions opts) {
 *     if (!opts.flags().local()) bus.publish(namespace().name(), data, opts);
 *     super.broadcast(data, opts);                  // this node's sockets
 *   }
 *
 *   void onBusMessage(Object[] data, BroadcastOptions opts) {
 *     broadcastLocal(data, opts);                   // never forwarded again
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe: rooms live in concurrent maps updated atomically per room. Methods are called from
 * any thread (handlers, event loops, a backend's own threads). A broadcast is encoded once and the
 * same bytes go to every recipient, each written by its connection's own thread.
 *
 * <p>Connection state recovery (when {@link io.parley.server.ServerOptions#connectionStateRecovery()} is set): each
 * broadcast that is not volatile gets an offset as its last argument and is kept in the
 * namespace's {@link RecoveryStore}; {@link #persistSession}, {@link #restoreSession} and
 * {@link #resumeSession} keep and give back sessions. Storing a packet and handing it to its
 * recipients happen under one lock, so each connection gets packets in offset order, and a
 * recovered socket is attached under the same lock: it gets every missed packet exactly once. A
 * cluster adapter that keeps packets elsewhere overrides these hooks.
 */
public class Adapter {
  /** Package-private operations of the API types (encode once, deliver, observers): not public API. */
  static final ServerInternals INTERNALS = ServerInternals.get();
  /** The namespace this adapter serves. */
  protected final Namespace nsp;
  private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();
  /** Connection state recovery options, or null when recovery is off. */
  private final RecoveryOptions recovery;
  private final ReentrantLock recoveryLock = new ReentrantLock();
  private volatile RecoveryStore store;

  /**
   * The adapter of {@code nsp}; called through the adapter factory from the namespace's constructor:
   * {@code nsp.name()} and {@code nsp.server()} are set, but the namespace is not registered yet and
   * has no socket.
   *
   * @param nsp the namespace this adapter serves
   */
  public Adapter(Namespace nsp) {
    this.nsp = nsp;
    this.recovery = nsp.server().options().connectionStateRecovery();
  }

  /** The namespace this adapter serves. */
  public Namespace namespace() {
    return nsp;
  }

  /**
   * Called once, right after the constructor, before any socket joins the namespace: a backend
   * subscribes here. On the thread creating the namespace (the first {@code io.of(name)}, or a
   * connection's event loop for a dynamic child): must not block long.
   */
  public void init() {}

  /**
   * Called when the server closes or the namespace is removed (an empty dynamic child); releases the
   * recovery store. Subclasses that override it call it too.
   */
  public void close() {
    RecoveryStore st = store;
    if (st != null) {
      st.close();
    }
  }

  /**
   * Number of nodes in the cluster, this one included (1 for the in-memory adapter): how many answers
   * a cluster-wide request waits for.
   *
   * @return completes with the count
   */
  public CompletableFuture<Integer> serverCount() {
    return CompletableFuture.completedFuture(1);
  }

  /**
   * Puts local socket {@code id} in these rooms, as socket.io's {@code addAll}: called by
   * {@code Socket.join}, on the caller's thread. Calls {@link #onRoomCreated} for each room that
   * gets its first local member, and the server's observers.
   *
   * @param id the socket id
   * @param roomNames the rooms to join
   */
  public void addAll(String id, Set<String> roomNames) {
    ServerObserver[] obs = INTERNALS.observers(nsp.server());
    for (String room : roomNames) {
      sids.compute(id, (k, set) -> MemberSet.with(set, room));
      boolean[] created = {false};
      boolean[] added = {false};
      rooms.compute(room, (k, set) -> {
        created[0] = set == null;
        added[0] = set == null || !set.contains(id);
        return MemberSet.with(set, id);
      });
      if (created[0]) {
        onRoomCreated(room);
      }
      if (added[0] && obs.length > 0) {
        INTERNALS.notify(obs, o -> o.roomJoined(nsp, room, id));
      }
    }
  }

  /**
   * Takes local socket {@code id} out of a room, as socket.io's {@code del}: called by
   * {@code Socket.leave}. Calls {@link #onRoomDeleted} when the room loses its last local member.
   *
   * @param id the socket id
   * @param room the room to leave
   */
  public void del(String id, String room) {
    sids.computeIfPresent(id, (k, set) -> MemberSet.without(set, room));
    boolean[] deleted = {false};
    boolean[] removed = {false};
    rooms.computeIfPresent(room, (k, set) -> {
      removed[0] = set.contains(id);
      Set<String> left = MemberSet.without(set, id);
      deleted[0] = left == null;
      return left;
    });
    if (deleted[0]) {
      onRoomDeleted(room);
    }
    ServerObserver[] obs;
    if (removed[0] && (obs = INTERNALS.observers(nsp.server())).length > 0) {
      INTERNALS.notify(obs, o -> o.roomLeft(nsp, room, id));
    }
  }

  /**
   * Takes local socket {@code id} out of every room, its own included, as socket.io's
   * {@code delAll}: called when the socket disconnects.
   *
   * @param id the socket id
   */
  public void delAll(String id) {
    Set<String> mine = sids.remove(id);
    if (mine == null) {
      return;
    }
    ServerObserver[] obs = INTERNALS.observers(nsp.server());
    for (String room : mine) {
      boolean[] deleted = {false};
      boolean[] removed = {false};
      rooms.computeIfPresent(room, (k, set) -> {
        removed[0] = set.contains(id);
        Set<String> left = MemberSet.without(set, id);
        deleted[0] = left == null;
        return left;
      });
      if (deleted[0]) {
        onRoomDeleted(room);
      }
      if (removed[0] && obs.length > 0) {
        INTERNALS.notify(obs, o -> o.roomLeft(nsp, room, id));
      }
    }
  }

  /**
   * A room got its first local member (cluster backends subscribe to room channels here). Called on
   * the thread that joined the socket, after the change; must not block.
   *
   * @param room the room
   */
  protected void onRoomCreated(String room) {}

  /**
   * A room lost its last local member. Called on the thread that removed the socket, after the
   * change; must not block.
   *
   * @param room the room
   */
  protected void onRoomDeleted(String room) {}

  /**
   * The rooms of a local socket, its own id included (an immutable copy; empty when unknown), as
   * socket.io's {@code socketRooms}.
   *
   * @param id the socket id
   * @return its rooms
   */
  public Set<String> socketRooms(String id) {
    Set<String> s = sids.get(id);
    return s == null ? Set.of() : Set.copyOf(s);
  }

  /**
   * Ids of the local sockets in any of {@code roomNames} (every local socket when empty), as
   * socket.io's {@code sockets(rooms)}.
   *
   * @param roomNames the rooms
   * @return a new set of socket ids
   */
  public Set<String> sockets(Set<String> roomNames) {
    Set<String> out = new HashSet<>();
    forEachSocket(new BroadcastOptions(roomNames, Set.of(), BroadcastOptions.Flags.NONE), s -> out.add(s.id()));
    return out;
  }

  /**
   * Whether {@code room} has at least one local socket.
   *
   * @param room the room
   * @return true when some local socket is in it
   */
  public boolean hasRoom(String room) {
    return rooms.containsKey(room);
  }

  /** Every room that has at least one local socket, socket ids included (an immutable copy). */
  public Set<String> allRooms() {
    return Set.copyOf(rooms.keySet());
  }

  /**
   * Sends the event {@code data = [event, ...args]} to the matching sockets, as socket.io's
   * {@code broadcast}: every {@code emit} of a {@code BroadcastOperator} ends here, on the caller's
   * thread. This implementation delivers to this node's sockets ({@link #broadcastLocal}); a
   * cluster backend also forwards the event unless {@code opts.flags().local()}.
   *
   * @param data the event name then its arguments (Java objects, or JSON trees from another node)
   * @param opts who receives it and how
   */
  public void broadcast(Object[] data, BroadcastOptions opts) {
    broadcastLocal(data, opts);
  }

  /**
   * Sends the event to the matching local sockets. With recovery on and no volatile flag, the
   * packet first gets an offset from the {@link RecoveryStore} and is kept there. For a backend:
   * call it for broadcasts received from other nodes.
   *
   * @param data the event name then its arguments
   * @param opts who receives it
   * @return the number of local recipients
   */
  protected final int broadcastLocal(Object[] data, BroadcastOptions opts) {
    if (recovery != null && !opts.flags().volatileFlag()) {
      return broadcastStored(data, opts);
    }
    long start = System.nanoTime();
    List<Socket> targets = targets(opts);
    if (!targets.isEmpty()) {
      EncodedPacket encoded = INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), -1, data);
      deliverAll(targets, encoded, data, opts.flags().volatileFlag(), null, false);
    }
    nsp.server().metrics().broadcast(nsp.name(), targets.size(), System.nanoTime() - start);
    return targets.size();
  }

  /**
   * Sends the event to the matching local sockets with {@code offset} (when not null) appended as
   * its last argument, without storing it: for a cluster adapter whose log assigned the offset.
   * Calls must come in offset order (from one thread); each connection gets the packets in that order.
   *
   * @param data the event name then its arguments
   * @param opts who receives it
   * @param offset the packet's offset in the backend's log, or null for none
   * @return the number of local recipients
   */
  protected final int broadcastLocal(Object[] data, BroadcastOptions opts, String offset) {
    List<Socket> targets = targets(opts);
    if (!targets.isEmpty()) {
      Object[] sent = offset == null ? data : withOffset(data, offset);
      EncodedPacket encoded = INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), -1, sent);
      deliverAll(targets, encoded, data, opts.flags().volatileFlag(), null, offset != null);
    }
    return targets.size();
  }

  private int broadcastStored(Object[] data, BroadcastOptions opts) {
    RecoveryStore st = recoveryStore();
    recoveryLock.lock();
    try {
      String offset = st.nextOffset();
      EncodedPacket encoded = INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), -1, withOffset(data, offset));
      st.add(offset, encoded, opts);
      List<Socket> targets = targets(opts);
      if (!targets.isEmpty()) {
        deliverAll(targets, encoded, data, false, null, true);
      }
      return targets.size();
    } finally {
      recoveryLock.unlock();
    }
  }

  /**
   * The EVENT packet of {@code data} in this namespace, with {@code offset} (when not null) appended.
   *
   * @param data the event name then its arguments
   * @param offset an offset to append as the last argument, or null
   * @return the encoded packet, ready to be kept or written
   */
  protected final EncodedPacket encodeEvent(Object[] data, String offset) {
    return INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), -1, offset == null ? data : withOffset(data, offset));
  }

  /**
   * {@code [event, ...args, offset]}.
   *
   * @param data the event name then its arguments
   * @param offset the offset
   * @return a new array
   */
  protected static Object[] withOffset(Object[] data, String offset) {
    Object[] out = java.util.Arrays.copyOf(data, data.length + 1);
    out[data.length] = offset;
    return out;
  }

  // ---- connection state recovery ----

  /** The options of connection state recovery, as configured on the server, or null when it is off. */
  protected final RecoveryOptions recovery() {
    return recovery;
  }

  /**
   * The recovery store of this namespace, made on first use by {@code RecoveryOptions.store()}, or
   * null when recovery is off. Thread-safe.
   */
  public RecoveryStore recoveryStore() {
    RecoveryStore st = store;
    if (st == null && recovery != null) {
      synchronized (this) {
        st = store;
        if (st == null) {
          st = recovery.store().apply(nsp);
          store = st;
        }
      }
    }
    return st;
  }

  /**
   * Keeps the session of a socket whose connection dropped for a recoverable reason
   * ({@code DisconnectReason.recoverable()}), as socket.io's {@code persistSession}. Called on the
   * thread that saw the connection close (often an event loop): must not block long.
   *
   * @param session the socket's id, private id, rooms and data
   */
  public void persistSession(Session session) {
    RecoveryStore st = recoveryStore();
    if (st != null) {
      st.persist(session);
    }
  }

  /**
   * The session of {@code pid}, taken out of the store, when it has not expired and the client's
   * {@code offset} is still known; null otherwise (the client then gets a new session). As socket.io's
   * {@code restoreSession}. Called on the reconnecting socket's virtual thread, which waits up to
   * 10 s for the future.
   *
   * @param pid the private session id the client sent back
   * @param offset the offset of the last packet the client received
   * @return completes with the session, or with null
   */
  public CompletableFuture<Session> restoreSession(String pid, String offset) {
    RecoveryStore st = recoveryStore();
    return CompletableFuture.completedFuture(st == null ? null : st.take(pid, offset));
  }

  /**
   * Attaches a recovered socket: calls {@code attach} with the packets sent after {@code offset} to
   * the session's rooms, oldest first, atomically with respect to broadcasts ({@code attach} writes
   * them, then makes the socket a member of its rooms). Completes with false, without calling
   * {@code attach}, when those packets can no longer all be found.
   *
   * @param session the session {@link #restoreSession} returned
   * @param offset the offset of the last packet the client received
   * @param attach writes the missed packets and joins the socket to its rooms; call it at most once
   * @return completes with whether the socket was attached
   */
  public CompletableFuture<Boolean> resumeSession(Session session, String offset,
      Consumer<List<EncodedPacket>> attach) {
    RecoveryStore st = recoveryStore();
    if (st == null) {
      return CompletableFuture.completedFuture(false);
    }
    recoveryLock.lock();
    try {
      List<EncodedPacket> missed = st.missedSince(offset, session.rooms());
      if (missed == null) {
        return CompletableFuture.completedFuture(false);
      }
      attach.accept(missed);
      return CompletableFuture.completedFuture(true);
    } finally {
      recoveryLock.unlock();
    }
  }

  /**
   * Sends an event that each recipient must acknowledge, as socket.io's {@code broadcastWithAck}:
   * {@code clientCount} is told how many local sockets got it, then {@code ack} receives each
   * socket's reply as it arrives. A cluster backend also forwards it and calls {@code clientCount}
   * once per node that answers (the caller expects {@link #serverCount()} calls in all).
   *
   * @param data the event name then its arguments
   * @param opts who receives it; {@code flags().timeout()} bounds the wait
   * @param clientCount told each node's number of recipients
   * @param ack receives each reply, on a per-socket thread or a backend's thread
   */
  public void broadcastWithAck(Object[] data, BroadcastOptions opts, IntConsumer clientCount, Consumer<Args> ack) {
    clientCount.accept(broadcastWithAckLocal(data, opts, ack));
  }

  /**
   * Sends an event that each matching local socket must acknowledge: for a backend delivering a
   * broadcast with acks received from another node.
   *
   * @param data the event name then its arguments
   * @param opts who receives it
   * @param ack receives each local socket's reply
   * @return the number of local recipients
   */
  protected final int broadcastWithAckLocal(Object[] data, BroadcastOptions opts, Consumer<Args> ack) {
    List<Socket> targets = targets(opts);
    if (!targets.isEmpty()) {
      long id = INTERNALS.nextAckId(nsp);
      EncodedPacket encoded = INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), id, data);
      deliverAll(targets, encoded, data, opts.flags().volatileFlag(), new PendingAck(id, ack), false);
    }
    return targets.size();
  }

  private List<Socket> targets(BroadcastOptions opts) {
    List<Socket> targets = new ArrayList<>();
    forEachSocket(opts, targets::add);
    return targets;
  }

  /**
   * Hands the same encoded packet to every target, one task per owning thread (event loop) rather
   * than one per recipient. When {@code ordered} (packets with offsets), always through the owning
   * thread's queue, never written inline, so each connection gets them in the order of the calls.
   */
  private static void deliverAll(List<Socket> targets, EncodedPacket packet, Object[] data, boolean volatileFlag,
      PendingAck ack, boolean ordered) {
    for (Socket s : targets) {
      INTERNALS.notifyBroadcast(s, data);
    }
    if (targets.size() < 4 && !ordered) {
      for (Socket s : targets) {
        INTERNALS.deliver(s, packet, volatileFlag, ack);
      }
      return;
    }
    Map<Executor, List<Socket>> byOwner = new IdentityHashMap<>();
    for (Socket s : targets) {
      byOwner.computeIfAbsent(INTERNALS.executor(s), k -> new ArrayList<>()).add(s);
    }
    byOwner.forEach((owner, group) -> owner.execute(() -> {
      for (Socket s : group) {
        INTERNALS.deliver(s, packet, volatileFlag, ack);
      }
    }));
  }

  /**
   * The matching sockets, cluster-wide for a cluster adapter (unless {@code opts.flags().local()}),
   * as socket.io's {@code fetchSockets}.
   *
   * @param opts which sockets; {@code flags().timeout()} bounds the wait for other nodes
   * @return completes with their snapshots (at once for the in-memory adapter)
   */
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    List<RemoteSocket> out = new ArrayList<>();
    forEachSocket(opts, s -> out.add(INTERNALS.snapshot(s)));
    return CompletableFuture.completedFuture(out);
  }

  /**
   * Makes the matching sockets join rooms, as socket.io's {@code addSockets}
   * ({@code socketsJoin}): local ones at once, on the caller's thread; a cluster backend also
   * forwards the request.
   *
   * @param opts which sockets
   * @param roomNames the rooms to join
   */
  public void addSockets(BroadcastOptions opts, Set<String> roomNames) {
    forEachSocket(opts, s -> s.join(roomNames.toArray(String[]::new)));
  }

  /**
   * Makes the matching sockets leave rooms, as socket.io's {@code delSockets} ({@code socketsLeave}).
   *
   * @param opts which sockets
   * @param roomNames the rooms to leave
   */
  public void delSockets(BroadcastOptions opts, Set<String> roomNames) {
    forEachSocket(opts, s -> roomNames.forEach(s::leave));
  }

  /**
   * Disconnects the matching sockets, as socket.io's {@code disconnectSockets}.
   *
   * @param opts which sockets
   * @param close also close their underlying connections
   */
  public void disconnectSockets(BroadcastOptions opts, boolean close) {
    forEachSocket(opts, s -> s.disconnect(close));
  }

  /**
   * Sends {@code [event, ...args]} to the other nodes, as socket.io's {@code serverSideEmit};
   * nothing to do on a single node. The receiving nodes hand it to
   * {@code Namespace.onServerSideEmit}.
   *
   * @param data the event name then its arguments
   */
  public void serverSideEmit(Object[] data) {}

  /**
   * As {@link #serverSideEmit}, collecting one reply per other node within {@code timeout}.
   *
   * @param data the event name then its arguments
   * @param timeout how long to wait for every other node
   * @return completes with one reply per other node (at once and empty on a single node), or fails
   *     with a {@code TimeoutException}
   */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * Calls {@code fn} for each local socket matching {@code opts}, each once, on the calling thread.
   *
   * @param opts which sockets
   * @param fn what to do with each
   */
  protected final void forEachSocket(BroadcastOptions opts, Consumer<Socket> fn) {
    Set<String> except = exceptIds(opts.except());
    if (opts.rooms().isEmpty()) {
      for (Socket s : INTERNALS.localSockets(nsp)) {
        if (!except.contains(s.id())) {
          fn.accept(s);
        }
      }
      return;
    }
    Set<String> seen = opts.rooms().size() > 1 ? new HashSet<>() : null;
    for (String room : opts.rooms()) {
      Set<String> members = rooms.get(room);
      if (members == null) {
        continue;
      }
      for (String id : members) {
        if (except.contains(id) || (seen != null && !seen.add(id))) {
          continue;
        }
        Socket s = INTERNALS.localSocket(nsp, id);
        if (s != null) {
          fn.accept(s);
        }
      }
    }
  }

  private Set<String> exceptIds(Set<String> exceptRooms) {
    if (exceptRooms.isEmpty()) {
      return Set.of();
    }
    Set<String> ids = new HashSet<>();
    for (String room : exceptRooms) {
      Set<String> members = rooms.get(room);
      if (members != null) {
        ids.addAll(members);
      }
    }
    return ids;
  }

  /** This node's sockets of the namespace, for subclasses (a live view). */
  protected Collection<Socket> localSockets() {
    return INTERNALS.localSockets(nsp);
  }
}
