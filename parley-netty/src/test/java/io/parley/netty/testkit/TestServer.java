package io.parley.netty.testkit;

import io.parley.server.SocketIoServer;

/**
 * A started server under test, whatever binding carries it (Netty's {@code ParleyServer}, or
 * {@code ParleyServlet} in a container): what tests that hold on every binding may ask of it.
 */
public interface TestServer extends AutoCloseable {
  /** The Socket.IO server. */
  SocketIoServer io();

  /** The port it listens on, on 127.0.0.1. */
  int port();

  /** Open Engine.IO sessions on its Socket.IO endpoint. */
  int sessionCount();

  /** Disconnects every socket and stops serving. */
  @Override
  void close();
}
