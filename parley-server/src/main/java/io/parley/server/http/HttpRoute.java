package io.parley.server.http;

/**
 * A plain HTTP route beside the Socket.IO endpoint (health checks, REST, static files), mounted on
 * the server's port. Called on the binding's I/O thread: return false to let the next route (or
 * the 404) have the request, or true once the request is taken. A route that takes a request must
 * answer it through {@code response} exactly once; blocking work belongs on another thread (the
 * response may be sent from there).
 *
 * <pre>{@code
 * HttpRoute health = (req, res) -> {
 *   if (!req.path().equals("/health")) return false;
 *   res.respond(HttpResponse.json(200, "{\"status\":\"UP\"}"));
 *   return true;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface HttpRoute {
  /**
   * Offers a request to this route, on the binding's I/O thread.
   *
   * @param request the request (valid after this returns, so it may be handed to another thread)
   * @param response answers it, once, from any thread
   * @return true when this route took the request (and answers it), false to pass it on
   * @throws Exception the binding gives up on the request (the Netty binding closes the
   *     connection without a response): answer errors yourself
   */
  boolean handle(HttpRequest request, HttpResponder response) throws Exception;
}
