package io.parley.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.parley.server.http.HttpRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A Netty request seen through Parley's {@link HttpRequest}: the headers object is kept (it is not
 * reference counted), the body copied once, the query decoded once, so it stays valid after the
 * request's buffer is released.
 */
final class NettyHttpRequest implements HttpRequest {
  private static final byte[] EMPTY = new byte[0];

  private final String method;
  private final String uri;
  private final QueryStringDecoder qs;
  private final HttpHeaders headers;
  private final byte[] body;
  private final InetAddress client;
  private final String remote;
  private final boolean secure;

  NettyHttpRequest(FullHttpRequest req, QueryStringDecoder qs, InetAddress client, String remote, boolean secure) {
    this.method = req.method().name();
    this.uri = req.uri();
    this.qs = qs;
    this.headers = req.headers();
    this.body = req.content().isReadable() ? ByteBufUtil.getBytes(req.content()) : EMPTY;
    this.client = client;
    this.remote = remote;
    this.secure = secure;
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
    return qs.rawPath();
  }

  @Override
  public Map<String, List<String>> queryParameters() {
    return qs.parameters();
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public List<String> headers(String name) {
    return headers.getAll(name);
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
    return remote;
  }

  @Override
  public boolean secure() {
    return secure;
  }
}
