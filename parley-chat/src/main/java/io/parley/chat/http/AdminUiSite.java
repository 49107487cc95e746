package io.parley.chat.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.parley.netty.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the {@code @socket.io/admin-ui} web UI (its {@code ui/dist}, copied by the Maven build to
 * the classpath under {@code /admin-ui}) at a mount path such as {@code /admin-ui/}; the mount
 * without its slash redirects there (the UI's links are relative). Everything under the mount is
 * answered here, a missing file with 404, never with the chat's {@code index.html}. Hashed
 * {@code js/} and {@code css/} files are cached for a year, the rest revalidated.
 *
 * <p>Its own content security policy: the UI's scripts and styles come from the server, but its
 * {@code index.html} loads the Roboto font from Google Fonts and the Material Design icons from
 * jsDelivr, and Vuetify sets inline styles; it connects to the Socket.IO server the user names
 * (this one by default, {@code ws:}/{@code wss:} for the WebSocket). Framing and form posts stay
 * forbidden, as for the chat.
 */
public final class AdminUiSite implements HttpRoute {
  public static final String CLASSPATH_ROOT = "/admin-ui";
  static final String CSP = "default-src 'self'; script-src 'self'; "
      + "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com https://cdn.jsdelivr.net; "
      + "font-src 'self' data: https://fonts.gstatic.com https://cdn.jsdelivr.net; img-src 'self' data:; "
      + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
  private static final Pattern SAFE_PATH = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*)(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "map", "application/json", "json", "application/json", "svg", "image/svg+xml", "png", "image/png",
      "ico", "image/x-icon", "woff", "font/woff", "woff2", "font/woff2");
  private static final byte[] NOT_BUILT = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Admin UI</title>"
      + "<p>The admin UI was not built into this jar (built with <code>-Dweb.skip</code>?).</p></html>")
      .getBytes(StandardCharsets.UTF_8);

  private final String mount;
  private final String bare;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /** @param mount where the UI is served, e.g. {@code /admin-ui/} */
  public AdminUiSite(String mount) {
    this.mount = mount.endsWith("/") ? mount : mount + "/";
    this.bare = this.mount.substring(0, this.mount.length() - 1);
  }

  /** Whether the UI's files were found on the classpath. */
  public boolean built() {
    return read("index.html").isPresent();
  }

  @Override
  public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).rawPath();
    if (!path.equals(bare) && !path.startsWith(mount)) {
      return false;
    }
    HttpMethod method = req.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse r = response(req, HttpResponseStatus.METHOD_NOT_ALLOWED, new byte[0], "text/plain", null);
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, req, r);
      return true;
    }
    if (path.equals(bare)) {
      FullHttpResponse r = response(req, HttpResponseStatus.MOVED_PERMANENTLY, new byte[0], "text/plain", null);
      r.headers().set(HttpHeaderNames.LOCATION, mount);
      send(ctx, req, r);
      return true;
    }
    String file = path.substring(mount.length());
    if (file.isEmpty()) {
      file = "index.html";
    }
    Optional<byte[]> body = SAFE_PATH.matcher(file).matches() ? read(file) : Optional.empty();
    if (body.isEmpty() && file.equals("index.html")) {
      body = Optional.of(NOT_BUILT);
    }
    if (body.isEmpty()) {
      send(ctx, req, response(req, HttpResponseStatus.NOT_FOUND, "not found".getBytes(StandardCharsets.US_ASCII),
          "text/plain; charset=utf-8", null));
      return true;
    }
    String ext = file.contains(".") ? file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
    boolean hashed = (file.startsWith("js/") || file.startsWith("css/") || file.startsWith("img/"))
        && file.matches(".*\\.[0-9a-f]{8}\\.[a-z0-9]+(\\.map)?");
    send(ctx, req, response(req, HttpResponseStatus.OK, body.get(), TYPES.getOrDefault(ext, "application/octet-stream"),
        hashed ? StaticSite.IMMUTABLE : StaticSite.NO_CACHE));
    return true;
  }

  private Optional<byte[]> read(String file) {
    return cache.computeIfAbsent(file, f -> {
      try (InputStream in = AdminUiSite.class.getResourceAsStream(CLASSPATH_ROOT + "/" + f)) {
        return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static FullHttpResponse response(FullHttpRequest req, HttpResponseStatus status, byte[] body, String type,
      String cacheControl) {
    boolean head = req.method().equals(HttpMethod.HEAD);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    if (cacheControl != null) {
      r.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    }
    r.headers().set("X-Content-Type-Options", "nosniff");
    r.headers().set("Content-Security-Policy", CSP);
    r.headers().set("X-Frame-Options", "DENY");
    r.headers().set("Referrer-Policy", "no-referrer");
    HttpUtil.setContentLength(r, body.length);
    return r;
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
    if (HttpUtil.isKeepAlive(req)) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(r);
    } else {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
