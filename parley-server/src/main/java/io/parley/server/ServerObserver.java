package io.parley.server;

/**
 * Sees what happens to every socket of a server, in every namespace (dynamic ones included):
 * connections, disconnections, room changes and transport upgrades. For instrumentation such as
 * {@code parley-admin-ui}; register with {@link SocketIoServer#addObserver}. With none registered,
 * nothing is called and the hot paths pay one read of an empty array.
 *
 * <p>Methods are called on the thread doing the change (a socket's virtual thread, an event loop
 * or a cluster backend's thread): implementations must be fast, thread-safe and never block. An
 * exception thrown by an observer is logged and does not affect the socket.
 */
public interface ServerObserver {
  /**
   * A socket passed its middlewares and joined its namespace and its own room; called before the
   * namespace's connection listeners run (so an {@code onAnyOutgoing} added here sees what they emit).
   */
  default void socketConnected(Socket socket) {}

  /** A socket left its namespace, after it left its rooms; before its disconnect listeners run. */
  default void socketDisconnected(Socket socket, DisconnectReason reason) {}

  /** A local socket joined a room it was not in (its own room included). */
  default void roomJoined(Namespace nsp, String room, String socketId) {}

  /** A local socket left a room it was in (on disconnect, every room, its own included). */
  default void roomLeft(Namespace nsp, String room, String socketId) {}

  /** The connection of a socket moved to another transport (polling to {@code websocket}). */
  default void transportChanged(Socket socket, String transport) {}
}
