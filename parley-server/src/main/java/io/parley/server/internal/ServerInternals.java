package io.parley.server.internal;

import io.parley.protocol.EncodedPacket;
import io.parley.protocol.SocketCodec;
import io.parley.server.Namespace;
import io.parley.server.ServerObserver;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What the adapter and recovery packages may do with the API types beyond their public methods
 * (deliver a packet encoded once, reach the server's timer): the API package implements it, so
 * none of it becomes public API. Not exported from the module.
 */
public interface ServerInternals {
  SocketCodec codec(Namespace nsp);

  long nextAckId(Namespace nsp);

  /** The namespace's sockets on this node, without a wrapper per call (broadcasts walk it). */
  java.util.Collection<Socket> localSockets(Namespace nsp);

  /** This node's socket {@code id} in the namespace, or null. */
  Socket localSocket(Namespace nsp, String id);

  /** A snapshot of a local socket, as {@code fetchSockets} returns it. */
  io.parley.server.RemoteSocket snapshot(Socket socket);

  ScheduledExecutorService scheduler(SocketIoServer server);

  ServerObserver[] observers(SocketIoServer server);

  /** Calls {@code fn} on each observer; an observer that throws is logged and skipped. */
  void notify(ServerObserver[] observers, Consumer<ServerObserver> fn);

  /** Writes a packet already encoded for the socket's namespace (from the socket's executor, or any thread). */
  void deliver(Socket socket, EncodedPacket packet, boolean volatileFlag, PendingAck ack);

  /** Lets the socket's outgoing-packet listeners see a broadcast it is about to receive. */
  void notifyBroadcast(Socket socket, Object[] data);

  EngineExecutor executor(Socket socket);

  /** The implementation, registered by the API package when its server class loads. */
  static ServerInternals get() {
    ServerInternals i = Holder.instance;
    if (i == null) {
      try {
        Class.forName(SocketIoServer.class.getName(), true, SocketIoServer.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      i = Holder.instance;
    }
    return i;
  }

  /** Called once, by the API package. */
  static void register(ServerInternals i) {
    if (Holder.instance != null) {
      throw new IllegalStateException("already registered");
    }
    Holder.instance = i;
  }

  /** Where the registered implementation is kept. */
  final class Holder {
    static volatile ServerInternals instance;

    private Holder() {}
  }
}
