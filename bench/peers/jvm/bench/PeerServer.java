// A template, not compiled here: each JVM peer's pom (../netty-socketio, ../socketio4j) copies it with its
// peer.package and peer.name properties filled in and compiles the copy.
package bench;

import ${peer.package}.Configuration;
import ${peer.package}.SocketIOClient;
import ${peer.package}.SocketIOServer;
import java.util.Map;

/**
 * The bench-server contract (see parley-app BenchServer.java) on netty-socketio and on its fork socketio4j,
 * which kept the API under its own package: same events, same replies.
 */
public final class PeerServer {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    Configuration config = new Configuration();
    config.setHostname("127.0.0.1");
    config.setPort(port);
    config.getSocketConfig().setReuseAddress(true);
    // compare.sh gives both JVM servers the same number of event loop threads (IO_THREADS)
    String ioThreads = System.getenv("IO_THREADS");
    if (ioThreads != null && !ioThreads.isBlank()) {
      config.setWorkerThreads(Integer.parseInt(ioThreads.trim()));
    }
    SocketIOServer server = new SocketIOServer(config);
    server.addEventListener("bench:echo", Object.class, (client, data, ack) -> ack.sendAckData(data));
    server.addEventListener("bench:broadcast", Object.class,
        (client, data, ack) -> server.getBroadcastOperations().sendEvent("bench:msg", data));
    server.addEventListener("bench:join", String.class, (client, room, ack) -> {
      client.joinRoom(room);
      ack.sendAckData(true);
    });
    server.addEventListener("bench:to", Map.class,
        (client, m, ack) -> server.getRoomOperations(String.valueOf(m.get("room"))).sendEvent("bench:msg", m.get("data")));
    server.addEventListener("bench:count", Object.class,
        (client, data, ack) -> ack.sendAckData(server.getAllClients().size()));
    server.addEventListener("bench:rooms-join", Map.class, (client, m, ack) -> {
      String to = String.valueOf(m.get("to"));
      for (SocketIOClient c : server.getRoomOperations(String.valueOf(m.get("from"))).getClients()) {
        c.joinRoom(to);
      }
      ack.sendAckData(true);
    });
    try {
      server.start();
    } catch (RuntimeException e) {
      System.err.println("cannot start: " + e);
      System.exit(1);
    }
    System.out.println("${peer.name} bench server on port " + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    Thread.currentThread().join();
  }
}
