package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * The handshake of a socket, as socket.io's {@code socket.handshake}: request headers (lower-case
 * names), the time it was made, the client address, whether it was cross-origin or over TLS, the
 * URL and query, and the {@code auth} object of the CONNECT packet ({@code {}} when absent: then a
 * new empty object on each call, so that sockets without one keep none).
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
  @Override
  public JsonNode auth() {
    return auth != null ? auth : JsonNodeFactory.instance.objectNode();
  }
}
