package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * The handshake of a socket, as socket.io's {@code socket.handshake}: request headers (lower-case
 * names), the time it was made, the client address, whether it was cross-origin or over TLS, the
 * URL and query, and the {@code auth} object of the CONNECT packet ({@code {}} when absent: then a
 * new empty object on each call, so that sockets without one keep none). The HTTP details are those
 * of the request that opened the Engine.IO connection, shared by every namespace on it; {@code auth}
 * is this namespace's. Serialised by Jackson as the reference's object (it travels to other nodes
 * with {@code fetchSockets}).
 *
 * <pre>{@code
 * io.use(socket -> {
 *   Handshake h = socket.handshake();
 *   String token = h.auth().path("token").asText(null);   // io({ auth: { token: "abc" } })
 *   String lang = h.headers().get("accept-language");
 *   String room = h.query().get("room");                   // io({ query: { room: "42" } })
 *   log.info("{} from {} at {}", token, h.address(), h.time());
 * });
 * }</pre>
 *
 * @param headers the request headers, names in lower case, repeated headers joined by {@code ", "}
 * @param time when the socket was created, as the reference prints a date
 *     ({@code Tue Mar 05 2024 10:15:00 GMT+0100})
 * @param address the client's address as text (behind a trusted proxy, the address it forwards for)
 * @param xdomain whether the request carried an {@code Origin} header (cross-origin, as the reference
 *     decides it)
 * @param secure whether the request came over TLS
 * @param issued when the socket was created, in milliseconds since the epoch
 * @param url the request target of the handshake request (path and query)
 * @param query the query parameters, the first value of each
 * @param auth the {@code auth} object of the CONNECT packet; read it through {@link #auth()}
 */
public record Handshake(
    Map<String, String> headers,
    String time,
    String address,
    boolean xdomain,
    boolean secure,
    long issued,
    String url,
    Map<String, String> query,
    JsonNode auth) {
  /**
   * The {@code auth} object the client sent with this namespace's CONNECT ({@code io(url, { auth })}),
   * as a JSON tree; an empty object when it sent none. With connection state recovery, it also holds
   * the {@code pid} and {@code offset} of a reconnecting client, as in the reference.
   */
  @Override
  public JsonNode auth() {
    return auth != null ? auth : JsonNodeFactory.instance.objectNode();
  }
}
