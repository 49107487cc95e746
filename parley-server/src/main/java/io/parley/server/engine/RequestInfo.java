package io.parley.server.engine;

import io.parley.server.internal.SmallMap;
import java.util.Map;

/**
 * The HTTP request that opened an Engine.IO connection. Header names are lower case; a repeated
 * header's values are joined by {@code ", "}. {@code query} holds the first value of each parameter.
 */
public record RequestInfo(
    Map<String, String> headers, Map<String, String> query, String remoteAddress, boolean secure, String url) {
  public RequestInfo {
    headers = SmallMap.copyOf(headers);
    query = SmallMap.copyOf(query);
  }
}
