package io.parley.server.http;

import java.net.InetAddress;
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
  String header(String name);

  /** Every value of header {@code name} (any case), in order; empty when absent. */
  List<String> headers(String name);

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
}
