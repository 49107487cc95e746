package io.parley.spring.test;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The official Java client and plain HTTP against a test's servers; closes every client it made. */
final class Clients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();

  /** A connected client of {@code url} (namespace in the path), with these transports, no reconnection. */
  Socket connect(String url, String... transports) throws Exception {
    return connect(url, s -> { }, transports);
  }

  /** As {@link #connect(String, String...)}, with listeners added by {@code before} ahead of the connection. */
  Socket connect(String url, Consumer<Socket> before, String... transports) throws Exception {
    IO.Options o = new IO.Options();
    o.transports = transports.length == 0 ? new String[] {"websocket"} : transports;
    o.reconnection = false;
    o.forceNew = true;
    Socket s = IO.socket(URI.create(url), o);
    synchronized (sockets) {
      sockets.add(s);
    }
    CompletableFuture<Void> up = new CompletableFuture<>();
    before.accept(s);
    s.once(Socket.EVENT_CONNECT, a -> up.complete(null));
    s.once(Socket.EVENT_CONNECT_ERROR, a -> up.completeExceptionally(new IllegalStateException(String.valueOf(a[0]))));
    s.connect();
    up.get(10, TimeUnit.SECONDS);
    return s;
  }

  /** The first argument of the ack to {@code event}, as a string. */
  static String emitWithAck(Socket s, String event, Object... args) throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    s.emit(event, args, (Ack) a -> reply.complete(a.length == 0 ? "<no argument>" : String.valueOf(a[0])));
    return reply.get(10, TimeUnit.SECONDS);
  }

  /** Completes with the first argument of the next {@code event}. */
  static CompletableFuture<String> next(Socket s, String event) {
    CompletableFuture<String> f = new CompletableFuture<>();
    s.once(event, a -> f.complete(a.length == 0 ? "" : String.valueOf(a[0])));
    return f;
  }

  /** Completes when {@code event} arrives with {@code value} as its first argument. */
  static CompletableFuture<String> next(Socket s, String event, String value) {
    CompletableFuture<String> f = new CompletableFuture<>();
    s.on(event, a -> {
      if (a.length > 0 && value.equals(String.valueOf(a[0]))) {
        f.complete(value);
      }
    });
    return f;
  }

  static HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Override
  public void close() {
    synchronized (sockets) {
      sockets.forEach(Socket::close);
      sockets.clear();
    }
  }
}
