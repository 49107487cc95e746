package io.parley.server;

import io.parley.server.adapter.Adapter;
import io.parley.server.adapter.BroadcastOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A dynamic namespace ({@code io.of(predicate)}, socket.io's {@code ParentNamespace}): a name
 * accepted by the predicate creates a child namespace on first connection. Middlewares and
 * connection listeners added here apply to every child (before the child's own); {@code emit},
 * {@code socketsJoin}, {@code socketsLeave} and {@code disconnectSockets} from here reach the
 * sockets of every child that exists at the time. Thread-safe.
 *
 * <pre>{@code
 * ParentNamespace rooms = io.of(Pattern.compile("/room-\\d+"));
 * rooms.use(socket -> authenticate(socket.handshake()));
 * rooms.onConnection(socket -> socket.emit("welcome", socket.nsp().name()));
 * rooms.emit("maintenance", "in 5 minutes");   // to every socket of every child
 * }</pre>
 *
 * <p>A parent holds no sockets of its own: {@link #sockets()} is empty, and {@code fetchSockets}
 * and {@code emitWithAck} called on the parent find no recipient (they complete empty; call them on
 * the children). Its {@link #name()} is an internal label ({@code /_0}, {@code /_1}, ...) that no
 * client can connect to.
 */
public final class ParentNamespace extends Namespace {
  private final Predicate<String> matcher;
  private final Map<String, Namespace> children = new ConcurrentHashMap<>();

  ParentNamespace(Predicate<String> matcher, SocketIoServer server, String label) {
    super(label, server, null);
    this.matcher = matcher;
  }

  @Override
  Adapter createAdapter(SocketIoServer server) {
    return new ParentAdapter(this);
  }

  boolean matches(String name) {
    return matcher.test(name);
  }

  Namespace child(String name) {
    return children.computeIfAbsent(name, n -> server().createChild(n, this));
  }

  void removeChild(Namespace child) {
    children.remove(child.name(), child);
    server().removeNamespace(child);
  }

  /**
   * The children that exist now, by name (a snapshot). With
   * {@link ServerOptions#cleanupEmptyChildNamespaces()}, a child goes away with its last socket.
   */
  public Map<String, Namespace> children() {
    return Map.copyOf(children);
  }

  /** Broadcasts from a parent fan out to each child's adapter. */
  private static final class ParentAdapter extends Adapter {
    private final ParentNamespace parent;

    ParentAdapter(ParentNamespace parent) {
      super(parent);
      this.parent = parent;
    }

    @Override
    public void broadcast(Object[] data, BroadcastOptions opts) {
      parent.children.values().forEach(c -> c.adapter().broadcast(data, opts));
    }

    @Override
    public void addSockets(BroadcastOptions opts, java.util.Set<String> rooms) {
      parent.children.values().forEach(c -> c.adapter().addSockets(opts, rooms));
    }

    @Override
    public void delSockets(BroadcastOptions opts, java.util.Set<String> rooms) {
      parent.children.values().forEach(c -> c.adapter().delSockets(opts, rooms));
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
      parent.children.values().forEach(c -> c.adapter().disconnectSockets(opts, close));
    }
  }
}
