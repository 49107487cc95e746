package com.example;

import static io.parley.server.EventListener.nonBlocking;

import io.parley.server.ConnectionListener;
import io.parley.spring.SocketIoConfigurer;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application whose port also serves Socket.IO at {@code /socket.io/}:
 * parley-spring-boot-starter mounts Parley in the application's own Tomcat.
 *
 * <pre>java -jar target/spring-boot-0.1.0-SNAPSHOT.jar --server.port=8080</pre>
 */
@SpringBootApplication
@RestController
public class Application {
  public static void main(String[] args) {
    SpringApplication.run(Application.class, args);
  }

  @GetMapping("/api/hello")
  public Map<String, String> hello() {
    return Map.of("hello", "world");
  }

  /**
   * The Socket.IO handlers: those of Parley's benchmark server, so the load generator can measure
   * this application too. None of them blocks, so they run on the connection's loop ({@code nonBlocking});
   * a handler that may block (a database call, say) is registered without it and runs on a virtual thread.
   */
  @Bean
  SocketIoConfigurer benchHandlers() {
    return io -> io.onConnection(ConnectionListener.nonBlocking(socket -> {
      socket.on("bench:echo", nonBlocking((args, ack) -> ack.send(args.get(0))));                   // the data back, as the ack
      socket.on("bench:broadcast", nonBlocking((args, ack) -> io.emit("bench:msg", args.get(0))));  // to every client
    }));
  }
}
