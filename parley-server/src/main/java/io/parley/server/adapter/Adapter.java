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
 * must to the other nodes, and calls the local methods for what they send back.
 *
 * <p>Thread-safe: rooms live in concurrent maps updated atomically per room. A broadcast is
 * encoded once and the same bytes go to every recipient.
 *
 * <p>Connection state recovery (when {@link ServerOptions#connectionStateRecovery} is set): each
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
  protected final Namespace nsp;
  private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();
  /** Connection state recovery options, or null when recovery is off. */
  private final RecoveryOptions recovery;
  private final ReentrantLock recoveryLock = new ReentrantLock();
  private volatile RecoveryStore store;

  public Adapter(Namespace nsp) {
    this.nsp = nsp;
    this.recovery = nsp.server().options().connectionStateRecovery();
  }

  public Namespace namespace() {
    return nsp;
  }

  /** Called once the namespace exists. */
  public void init() {}

  /** Called when the server closes (or the namespace is removed); subclasses call it too. */
  public void close() {
    RecoveryStore st = store;
    if (st != null) {
      st.close();
    }
  }

  /** Number of nodes in the cluster (1 for the in-memory adapter). */
  public CompletableFuture<Integer> serverCount() {
    return CompletableFuture.completedFuture(1);
  }

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

  /** A room got its first local member (cluster backends subscribe to room channels here). */
  protected void onRoomCreated(String room) {}

  /** A room lost its last local member. */
  protected void onRoomDeleted(String room) {}

  /** The rooms of a local socket (empty when unknown). */
  public Set<String> socketRooms(String id) {
    Set<String> s = sids.get(id);
    return s == null ? Set.of() : Set.copyOf(s);
  }

  /** Ids of the local sockets in any of {@code roomNames} (every local socket when empty). */
  public Set<String> sockets(Set<String> roomNames) {
    Set<String> out = new HashSet<>();
    forEachSocket(new BroadcastOptions(roomNames, Set.of(), BroadcastOptions.Flags.NONE), s -> out.add(s.id()));
    return out;
  }

  /** Whether {@code room} has at least one local socket. */
  public boolean hasRoom(String room) {
    return rooms.containsKey(room);
  }

  /** Every room that has at least one local socket. */
  public Set<String> allRooms() {
    return Set.copyOf(rooms.keySet());
  }

  /** Sends the event {@code data = [event, ...args]} to the matching sockets. */
  public void broadcast(Object[] data, BroadcastOptions opts) {
    broadcastLocal(data, opts);
  }

  /**
   * Sends the event to the matching local sockets. With recovery on and no volatile flag, the
   * packet first gets an offset from the {@link RecoveryStore} and is kept there.
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

  /** The EVENT packet of {@code data} in this namespace, with {@code offset} (when not null) appended. */
  protected final EncodedPacket encodeEvent(Object[] data, String offset) {
    return INTERNALS.codec(nsp).encode(PacketType.EVENT, nsp.name(), -1, offset == null ? data : withOffset(data, offset));
  }

  /** {@code [event, ...args, offset]}. */
  protected static Object[] withOffset(Object[] data, String offset) {
    Object[] out = java.util.Arrays.copyOf(data, data.length + 1);
    out[data.length] = offset;
    return out;
  }

  // ---- connection state recovery ----

  /** The options of connection state recovery, or null when it is off. */
  protected final RecoveryOptions recovery() {
    return recovery;
  }

  /** The recovery store of this namespace (made on first use), or null when recovery is off. */
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

  /** Keeps the session of a socket whose connection dropped for a recoverable reason. */
  public void persistSession(Session session) {
    RecoveryStore st = recoveryStore();
    if (st != null) {
      st.persist(session);
    }
  }

  /**
   * The session of {@code pid}, taken out of the store, when it has not expired and the client's
   * {@code offset} is still known; null otherwise (the client then gets a new session).
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
   * Sends an event that each recipient must acknowledge: {@code clientCount} is told how many
   * local sockets got it, then {@code ack} receives each socket's reply as it arrives.
   */
  public void broadcastWithAck(Object[] data, BroadcastOptions opts, IntConsumer clientCount, Consumer<Args> ack) {
    clientCount.accept(broadcastWithAckLocal(data, opts, ack));
  }

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

  /** The matching sockets, cluster-wide for a cluster adapter. */
  public CompletableFuture<List<RemoteSocket>> fetchSockets(BroadcastOptions opts) {
    List<RemoteSocket> out = new ArrayList<>();
    forEachSocket(opts, s -> out.add(INTERNALS.snapshot(s)));
    return CompletableFuture.completedFuture(out);
  }

  public void addSockets(BroadcastOptions opts, Set<String> roomNames) {
    forEachSocket(opts, s -> s.join(roomNames.toArray(String[]::new)));
  }

  public void delSockets(BroadcastOptions opts, Set<String> roomNames) {
    forEachSocket(opts, s -> roomNames.forEach(s::leave));
  }

  public void disconnectSockets(BroadcastOptions opts, boolean close) {
    forEachSocket(opts, s -> s.disconnect(close));
  }

  /** Sends {@code [event, ...args]} to the other nodes; nothing to do on a single node. */
  public void serverSideEmit(Object[] data) {}

  /** As {@link #serverSideEmit}, collecting one reply per other node within {@code timeout}. */
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Object[] data, Duration timeout) {
    return CompletableFuture.completedFuture(List.of());
  }

  /** Calls {@code fn} for each local socket matching {@code opts}, each once. */
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

  /** Local sockets, for subclasses. */
  protected Collection<Socket> localSockets() {
    return INTERNALS.localSockets(nsp);
  }
}
