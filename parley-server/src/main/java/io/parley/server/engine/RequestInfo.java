package io.parley.server.engine;

import io.parley.server.internal.SmallMap;
import java.util.Map;

/**
 * The HTTP request that opened an Engine.IO connection. Header names are lower case; a repeated
 * header's values are joined by {@code ", "}. {@code query} holds the first value of each parameter.
 * Immutable; what a socket's {@code Handshake} is made of.
 *
 * @param headers the request headers (copied)
 * @param query the query parameters, first value of each (copied)
 * @param remoteAddress the client's address as text (behind a trusted proxy, the address it
 *     forwards for)
 * @param secure whether the request came over TLS
 * @param url the request target as sent (path and query)
 */
public record RequestInfo(
    Map<String, String> headers, Map<String, String> query, String remoteAddress, boolean secure, String url) {
  /** Copies the maps. */
  public RequestInfo {
    headers = SmallMap.copyOf(headers);
    query = SmallMap.copyOf(query);
  }
}
