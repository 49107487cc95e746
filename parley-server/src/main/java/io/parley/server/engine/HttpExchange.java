package io.parley.server.engine;

import io.parley.server.http.HttpResponder;
import java.util.function.Function;

/**
 * One HTTP request to an Engine.IO endpoint, as a binding hands it to {@link Engine#handle}: the
 * way to answer it (now, or later for a parked long-polling GET), to learn that its connection
 * closed before the answer, and to turn it into a WebSocket.
 */
public interface HttpExchange extends HttpResponder {
  /** The executor of the connection this request arrived on: a session opened by it lives there. */
  EngineExecutor executor();

  /**
   * Runs {@code r} (on any thread) if the connection closes before {@link #respond} is called;
   * forgotten once the response is sent.
   */
  void onClose(Runnable r);

  /**
   * Completes the WebSocket handshake on this request's connection (the request asked for it).
   * Once the 101 response is written, {@code firstMessage} (when not null) follows it as a text
   * frame and {@code open} is called, on the connection's I/O thread, with the socket's sink; it
   * returns the handler of the socket's incoming frames. Frames over {@code maxMessageBytes} close
   * the socket with 1009. When the handshake is refused (a WebSocket version the binding does not
   * speak) the binding answers the request itself and never calls {@code open}.
   */
  void upgrade(int maxMessageBytes, String firstMessage, Function<WebSocketSink, WebSocketHandler> open);
}
