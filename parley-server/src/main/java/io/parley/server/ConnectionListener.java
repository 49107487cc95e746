package io.parley.server;

/** Called for each socket that joined a namespace, on that socket's virtual thread. */
@FunctionalInterface
public interface ConnectionListener {
  void onConnection(Socket socket) throws Exception;
}
