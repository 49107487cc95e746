package io.parley.server.http;

/** Answers one HTTP request. */
@FunctionalInterface
public interface HttpResponder {
  /**
   * Sends the response: callable from any thread, once. The binding adds {@code Content-Length}
   * and the keep-alive headers, and closes the connection when the request asked for it.
   */
  void respond(HttpResponse response);
}
