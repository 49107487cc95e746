package io.parley.server;

import io.parley.protocol.EncodedPacket;
import io.parley.protocol.SocketCodec;
import io.parley.server.engine.EngineExecutor;
import io.parley.server.internal.PendingAck;
import io.parley.server.internal.ServerInternals;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** This package's side of {@link ServerInternals}: package-private operations, for the adapter and recovery packages. */
final class Internals implements ServerInternals {
  static final Internals INSTANCE = new Internals();

  private Internals() {}

  @Override
  public SocketCodec codec(Namespace nsp) {
    return nsp.codec();
  }

  @Override
  public long nextAckId(Namespace nsp) {
    return nsp.nextAckId();
  }

  @Override
  public java.util.Collection<Socket> localSockets(Namespace nsp) {
    return nsp.localSockets();
  }

  @Override
  public Socket localSocket(Namespace nsp, String id) {
    return nsp.localSocket(id);
  }

  @Override
  public RemoteSocket snapshot(Socket socket) {
    return RemoteSocket.of(socket);
  }

  @Override
  public ScheduledExecutorService scheduler(SocketIoServer server) {
    return server.scheduler();
  }

  @Override
  public ServerObserver[] observers(SocketIoServer server) {
    return server.observers();
  }

  @Override
  public void notify(ServerObserver[] observers, Consumer<ServerObserver> fn) {
    SocketIoServer.notify(observers, fn);
  }

  @Override
  public void deliver(Socket socket, EncodedPacket packet, boolean volatileFlag, PendingAck ack) {
    socket.deliver(packet, volatileFlag, ack);
  }

  @Override
  public void notifyBroadcast(Socket socket, Object[] data) {
    socket.notifyBroadcast(data);
  }

  @Override
  public EngineExecutor executor(Socket socket) {
    return socket.executor();
  }
}
