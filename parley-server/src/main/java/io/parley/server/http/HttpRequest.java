package io.parley.server.http;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a binding (Netty, a Servlet container) hands it to Parley: read-only, valid
 * after the call that delivered it returns (the body is a copy), so a handler may pass it to
 * another thread.
 */
public interface HttpRequest {
  /** The method in upper case: {@code GET}, {@code POST}, ... */
  String method();

  /** The request target as sent: the raw path and query ({@code /socket.io/?EIO=4&transport=polling}). */
  String uri();

  /** The path of {@link #uri()}, without the query, percent-encoding kept. */
  String path();

  /** The query parameters, decoded, each with its values in order (empty when there is no query). */
  Map<String, List<String>> queryParameters();

  /** The first value of query parameter {@code name}, or null. */
  default String query(String name) {
    List<String> v = queryParameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The first value of header {@code name} (any case), or null. */
  default String header(String name) {
    for (Map.Entry<String, String> e : headers()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Every value of header {@code name} (any case), in order; empty when absent. */
  default List<String> headers(String name) {
    List<String> out = new ArrayList<>(1);
    for (Map.Entry<String, String> e : headers()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /** Every header line as a name/value pair, names as sent. */
  Iterable<Map.Entry<String, String>> headers();

  /** The body (empty, never null). */
  byte[] body();

  /**
   * The client's address: the TCP peer's, or behind a trusted proxy the address it forwards for
   * (the binding decides); null when the peer is not an IP socket.
   */
  InetAddress clientAddress();

  /** {@link #clientAddress()} as text, or a description of the peer when it is not IP. */
  String remoteAddress();

  /** Whether the request came over TLS. */
  boolean secure();

  /**
   * Decodes a raw query string ({@code a=1&b=x%20y&a=2}, without the {@code ?}) into parameters,
   * each with its values in order; null or empty gives an empty map. A parameter with a malformed
   * escape is skipped, as a lenient server would.
   *
   * @param rawQuery the query as sent, or null
   * @return the decoded parameters, in the order of their first appearance
   */
  static Map<String, List<String>> decodeQuery(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
      } catch (IllegalArgumentException e) {
        // a malformed escape: this parameter is left out
      }
    }
    return out;
  }
}
