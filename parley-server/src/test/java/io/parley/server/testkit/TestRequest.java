package io.parley.server.testkit;

import io.parley.server.http.HttpRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link HttpRequest} built by a test: method, target, headers and body, from a loopback client. */
public final class TestRequest implements HttpRequest {
  private final String method;
  private final String uri;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private InetAddress client = InetAddress.getLoopbackAddress();

  private TestRequest(String method, String uri) {
    this.method = method;
    this.uri = uri;
  }

  public static TestRequest get(String uri) {
    return new TestRequest("GET", uri);
  }

  public static TestRequest post(String uri, String body) {
    return new TestRequest("POST", uri).body(body.getBytes(StandardCharsets.UTF_8));
  }

  public static TestRequest of(String method, String uri) {
    return new TestRequest(method, uri);
  }

  /** A WebSocket handshake request for {@code uri}. */
  public static TestRequest websocket(String uri) {
    return get(uri).header("Upgrade", "websocket").header("Connection", "Upgrade");
  }

  public TestRequest header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  public TestRequest body(byte[] b) {
    this.body = b;
    return this;
  }

  public TestRequest from(InetAddress a) {
    this.client = a;
    return this;
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
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  @Override
  public Map<String, List<String>> queryParameters() {
    int q = uri.indexOf('?');
    return HttpRequest.decodeQuery(q < 0 ? null : uri.substring(q + 1));
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
    return client;
  }

  @Override
  public String remoteAddress() {
    return client.getHostAddress();
  }

  @Override
  public boolean secure() {
    return false;
  }
}
