package io.parley.servlet;

import io.parley.server.http.HttpRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A container's request as Parley's {@link HttpRequest}, copied once (headers, query, body) so it
 * outlives the container's request object. The client address and TLS state are the container's:
 * its own proxy handling (Tomcat's {@code RemoteIpValve}, Spring's forwarded headers) applies.
 */
final class ServletHttpRequest implements HttpRequest {
  private final String method;
  private final String uri;
  private final String path;
  private final String rawQuery;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final String remote;
  private final boolean secure;
  private Map<String, List<String>> query;

  ServletHttpRequest(HttpServletRequest req, byte[] body) {
    this.method = req.getMethod();
    this.path = req.getRequestURI();
    this.rawQuery = req.getQueryString();
    this.uri = rawQuery == null ? path : path + "?" + rawQuery;
    List<Map.Entry<String, String>> h = new ArrayList<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        h.add(Map.entry(name, value));
      }
    }
    this.headers = h;
    this.body = body;
    this.remote = req.getRemoteAddr();
    this.secure = req.isSecure();
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Map<String, List<String>> queryParameters() {
    Map<String, List<String>> q = query;
    if (q == null) {
      q = HttpRequest.decodeQuery(rawQuery);
      query = q;
    }
    return q;
  }


  @Override
  public Iterable<Map.Entry<String, String>> headers() {
    return headers;
  }

  @Override
  public byte[] body() {
    return body;
  }

  @Override
  public InetAddress clientAddress() {
    try {
      return remote == null ? null : InetAddress.getByName(remote); // an IP literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String remoteAddress() {
    return remote;
  }

  @Override
  public boolean secure() {
    return secure;
  }
}
