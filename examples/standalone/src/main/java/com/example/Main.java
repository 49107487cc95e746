package com.example;

import io.parley.netty.ParleyServer;
import java.util.Map;

/** A chat room on Socket.IO: every message sent to the server goes to everyone in the lobby. */
public class Main {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    ParleyServer server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));   // Ctrl-C closes every connection
    System.out.println("Socket.IO on http://localhost:" + server.port() + "/socket.io/");
  }

  /** Starts the server on {@code port} (0: any free port); {@code close()} stops it. */
  public static ParleyServer start(int port) throws InterruptedException {
    ParleyServer server = ParleyServer.builder().port(port).build();
    var io = server.io();
    io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("chat:send", (args, ack) -> {
        io.to("lobby").emit("chat:message", args.get(0));   // to every socket in the room, the sender too
        ack.send(Map.of("ok", true));                        // the reply to the sender's callback
      });
      socket.onDisconnect(reason -> System.out.println(socket.id() + " left: " + reason));
    });
    return server.start();
  }
}
