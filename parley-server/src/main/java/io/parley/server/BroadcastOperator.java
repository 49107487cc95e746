package io.parley.server;

import io.parley.server.adapter.BroadcastOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable description of a broadcast target, built with {@code to/in/except} and flags,
 * then used with {@code emit}, {@code emitWithAck}, {@code fetchSockets} or a room operation, as
 * socket.io's {@code BroadcastOperator}. Safe to keep and reuse from any thread. Obtained from
 * {@link SocketIoServer}, {@link Namespace} or {@link Socket} (which excludes itself); every
 * operation goes through the namespace's adapter, so it reaches every node of a cluster unless
 * {@link #local()}.
 *
 * <pre>{@code
 * BroadcastOperator staff = io.of("/support").to("agents").except("on-break");
 * staff.emit("ticket:new", ticket);
 * staff.timeout(Duration.ofSeconds(3)).emitWithAck("ticket:claim?", ticket.id());
 * }</pre>
 */
public final class BroadcastOperator {
  private final Namespace nsp;
  private final Set<String> rooms;
  private final Set<String> except;
  private final BroadcastOptions.Flags flags;

  BroadcastOperator(Namespace nsp, Set<String> rooms, Set<String> except, BroadcastOptions.Flags flags) {
    this.nsp = nsp;
    this.rooms = rooms;
    this.except = except;
    this.flags = flags;
  }

  private static Set<String> plus(Set<String> set, String... more) {
    Set<String> s = new HashSet<>(set);
    Collections.addAll(s, more);
    return Set.copyOf(s);
  }

  /**
   * Targets the sockets in any of these rooms, added to the rooms already targeted, like socket.io's
   * {@code to(room)}: a socket in several of them gets the packet once. Without any {@code to}, every
   * socket of the namespace is targeted.
   *
   * <pre>{@code
   * io.to("room1").to("room2").emit("hello");   // sockets in room1 or room2
   * }</pre>
   *
   * @param room room names (a socket id names that socket's own room)
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator to(String... room) {
    return new BroadcastOperator(nsp, plus(rooms, room), except, flags);
  }

  /**
   * The same as {@link #to}, like socket.io's {@code in(room)}.
   *
   * @param room room names
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator in(String... room) {
    return to(room);
  }

  /**
   * Leaves out the sockets in any of these rooms (added to the rooms already excluded), like
   * socket.io's {@code except(room)}; exclusion wins over {@link #to}.
   *
   * <pre>{@code
   * io.to("room1").except("room2").emit("hello");   // in room1 and not in room2
   * }</pre>
   *
   * @param room room names
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator except(String... room) {
    return new BroadcastOperator(nsp, rooms, plus(except, room), flags);
  }

  /**
   * Marks the emit volatile, like socket.io's {@code volatile}: a connection not ready to write (a
   * WebSocket past its write buffer, a polling client with no GET waiting) drops the packet instead
   * of queueing it, and connection state recovery does not keep it.
   *
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(nsp, rooms, except, flags.withVolatile());
  }

  /**
   * Sets the compress flag, like socket.io's {@code compress(value)}. The flag is carried in the
   * broadcast options (to other nodes, as the reference serialises it) but Parley's own delivery
   * ignores it: compression is decided per connection by the transport.
   *
   * @param compress whether the packet may be compressed
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(nsp, rooms, except, flags.withCompress(compress));
  }

  /**
   * Restricts the operation to the sockets connected to this node, like socket.io's {@code local}:
   * with a cluster adapter nothing is sent to the other nodes.
   *
   * <pre>{@code
   * io.local().emit("node-maintenance", "restarting in 1 minute");
   * }</pre>
   *
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator local() {
    return new BroadcastOperator(nsp, rooms, except, flags.withLocal());
  }

  /**
   * Sets how long {@link #emitWithAck} waits for every ack (5 s when not set) and, with a cluster
   * adapter, how long {@link #fetchSockets} waits for the other nodes, like socket.io's
   * {@code timeout(ms)}.
   *
   * @param timeout the timeout
   * @return a new operator; this one is unchanged
   */
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(nsp, rooms, except, flags.withTimeout(timeout));
  }

  BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /**
   * Sends an event to every targeted socket, like socket.io's {@code emit(event, ...args)}. The packet
   * is encoded once and handed to each recipient's connection thread (and to the other nodes, through
   * the adapter); this method does not wait for the writes. Callable from any thread.
   *
   * <pre>{@code
   * io.to("room1").except("room2").emit("news", Map.of("title", "hello"));
   * }</pre>
   *
   * @param event the event name; a reserved one ({@code connect}, {@code disconnect}, ...) throws
   *     {@link IllegalArgumentException}
   * @param args the arguments, serialised by the server's Jackson mapper; {@code byte[]} values
   *     become binary attachments
   * @return true, as the reference does
   */
  public boolean emit(String event, Object... args) {
    Socket.checkEventName(event);
    nsp.adapter().broadcast(Socket.eventData(event, args), options());
    return true;
  }

  /**
   * Sends {@code event} and collects one ack per recipient, like socket.io's
   * {@code timeout(ms).emitWithAck(event, ...args)}. Completes with every reply once all recipients
   * (on every node) answered, or exceptionally with {@link AckTimeoutException} (holding the replies
   * that came) when the timeout set by {@link #timeout} passes first (default 5 s). With no recipient
   * it completes with an empty list. The future completes on a virtual thread.
   *
   * <pre>{@code
   * io.to("room1").timeout(Duration.ofSeconds(5)).emitWithAck("poll", "Pizza tonight?")
   *     .whenComplete((replies, err) -> {
   *       List<Args> answers = err instanceof AckTimeoutException t ? t.partial() : replies;
   *       long yes = answers.stream().filter(a -> a.get(0).asBoolean()).count();
   *     });
   * }</pre>
   *
   * @param event the event name (not a reserved one)
   * @param args the arguments
   * @return the replies, in arrival order, one {@link Args} per socket (from another node's socket,
   *     only the first argument of its ack is carried, as in socket.io's cluster adapters)
   */
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    Socket.checkEventName(event);
    Duration timeout = flags.timeout() == null ? Duration.ofSeconds(5) : flags.timeout();
    CompletableFuture<List<Args>> result = new CompletableFuture<>();
    Queue<Args> replies = new ConcurrentLinkedQueue<>();
    // Complete when every node reported how many clients it asked and that many replies came.
    AtomicInteger expectedServers = new AtomicInteger(-1);
    AtomicInteger reportedServers = new AtomicInteger();
    AtomicInteger expectedClients = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    Runnable check = () -> {
      if (expectedServers.get() == reportedServers.get() && received.get() >= expectedClients.get()) {
        result.complete(List.copyOf(replies));
      }
    };
    ScheduledFuture<?> timer = nsp.server().scheduler().schedule(
        () -> result.completeExceptionally(new AckTimeoutException(List.copyOf(replies))),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((r, t) -> timer.cancel(false));
    BroadcastOptions opts = new BroadcastOptions(rooms, except, flags.withTimeout(timeout));
    nsp.adapter().broadcastWithAck(Socket.eventData(event, args), opts, count -> {
      expectedClients.addAndGet(count);
      reportedServers.incrementAndGet();
      check.run();
    }, reply -> {
      replies.add(reply);
      received.incrementAndGet();
      check.run();
    });
    CompletableFuture<Integer> servers = flags.local()
        ? CompletableFuture.completedFuture(1) : nsp.adapter().serverCount();
    servers.whenComplete((n, err) -> {
      if (err != null) {
        result.completeExceptionally(err);
        return;
      }
      expectedServers.set(n);
      check.run();
    });
    return nsp.server().onVirtualThread(result);
  }

  /**
   * The targeted sockets, cluster-wide with a cluster adapter unless {@link #local}, like socket.io's
   * {@code fetchSockets()}. Each {@link RemoteSocket} is a snapshot of the socket's id, handshake,
   * rooms and data, and can emit to it, make it join or leave rooms, or disconnect it.
   *
   * <pre>{@code
   * io.in("room1").fetchSockets().thenAccept(sockets -> {
   *   for (RemoteSocket s : sockets) {
   *     s.emit("hello");
   *     s.join("room2");
   *   }
   * });
   * }</pre>
   *
   * @return completes on a virtual thread; fails with a {@code TimeoutException} when another node
   *     does not answer within the timeout (5 s by default)
   */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return nsp.server().onVirtualThread(nsp.adapter().fetchSockets(options()));
  }

  /**
   * Makes the targeted sockets join these rooms, like socket.io's {@code socketsJoin(rooms)}. This
   * node's sockets join before this returns, on the calling thread; the other nodes apply it when
   * their adapter receives the request.
   *
   * <pre>{@code
   * io.in("room1").socketsJoin("room2", "room3");
   * io.in(theSocketId).socketsJoin("room1");   // one socket, wherever it is connected
   * }</pre>
   *
   * @param roomNames the rooms to join
   */
  public void socketsJoin(String... roomNames) {
    nsp.adapter().addSockets(options(), Set.of(roomNames));
  }

  /**
   * Makes the targeted sockets leave these rooms, like socket.io's {@code socketsLeave(rooms)};
   * applied as {@link #socketsJoin} is.
   *
   * <pre>{@code
   * io.in("room1").socketsLeave("room2");
   * }</pre>
   *
   * @param roomNames the rooms to leave
   */
  public void socketsLeave(String... roomNames) {
    nsp.adapter().delSockets(options(), Set.of(roomNames));
  }

  /**
   * Disconnects the targeted sockets, like socket.io's {@code disconnectSockets(close)}: as
   * {@link Socket#disconnect} on each, on this node before this returns and on the others when their
   * adapter receives the request.
   *
   * <pre>{@code
   * io.in("room1").disconnectSockets(false);
   * }</pre>
   *
   * @param close also close their underlying connections (every namespace on them)
   */
  public void disconnectSockets(boolean close) {
    nsp.adapter().disconnectSockets(options(), close);
  }
}
