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
 * then used with {@code emit}, {@code emitWithAck}, {@code fetchSockets} or a room operation. Safe
 * to keep and reuse from any thread.
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

  /** Targets sockets in these rooms (added to the rooms already targeted). */
  public BroadcastOperator to(String... room) {
    return new BroadcastOperator(nsp, plus(rooms, room), except, flags);
  }

  /** Same as {@link #to}. */
  public BroadcastOperator in(String... room) {
    return to(room);
  }

  /** Leaves out sockets in these rooms. */
  public BroadcastOperator except(String... room) {
    return new BroadcastOperator(nsp, rooms, plus(except, room), flags);
  }

  /** Drops the packet for connections not ready to write instead of queueing it. */
  public BroadcastOperator asVolatile() {
    return new BroadcastOperator(nsp, rooms, except, flags.withVolatile());
  }

  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(nsp, rooms, except, flags.withCompress(compress));
  }

  /** Only sockets connected to this node, even in a cluster. */
  public BroadcastOperator local() {
    return new BroadcastOperator(nsp, rooms, except, flags.withLocal());
  }

  /** The time {@link #emitWithAck} waits for every ack. */
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(nsp, rooms, except, flags.withTimeout(timeout));
  }

  BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /** Sends {@code event} to every targeted socket. Returns true, as the reference does. */
  public boolean emit(String event, Object... args) {
    Socket.checkEventName(event);
    nsp.adapter().broadcast(Socket.eventData(event, args), options());
    return true;
  }

  /**
   * Sends {@code event} and collects one ack per recipient. Completes with every reply once all
   * recipients answered, or exceptionally with {@link AckTimeoutException} (holding the replies
   * that came) when the timeout set by {@link #timeout} passes first (default 5 s).
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

  /** The targeted sockets (cluster-wide with a cluster adapter, unless {@link #local}). */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return nsp.server().onVirtualThread(nsp.adapter().fetchSockets(options()));
  }

  /** Makes the targeted sockets join {@code rooms}. */
  public void socketsJoin(String... roomNames) {
    nsp.adapter().addSockets(options(), Set.of(roomNames));
  }

  /** Makes the targeted sockets leave {@code rooms}. */
  public void socketsLeave(String... roomNames) {
    nsp.adapter().delSockets(options(), Set.of(roomNames));
  }

  /** Disconnects the targeted sockets; with {@code close}, their whole connection too. */
  public void disconnectSockets(boolean close) {
    nsp.adapter().disconnectSockets(options(), close);
  }
}
