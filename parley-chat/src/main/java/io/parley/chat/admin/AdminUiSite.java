package io.parley.chat.admin;

import io.parley.chat.web.Head;
import io.parley.chat.web.StaticSite;
import io.parley.server.http.HttpRequest;
import io.parley.server.http.HttpResponder;
import io.parley.server.http.HttpResponse;
import io.parley.server.http.HttpRoute;
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
  public boolean handle(HttpRequest req, HttpResponder res) {
    String path = req.path();
    if (!path.equals(bare) && !path.startsWith(mount)) {
      return false;
    }
    String method = req.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      res.respond(response(req, 405, new byte[0], "text/plain", null).header("Allow", "GET, HEAD"));
      return true;
    }
    if (path.equals(bare)) {
      res.respond(response(req, 301, new byte[0], "text/plain", null).header("Location", mount));
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
      res.respond(response(req, 404, "not found".getBytes(StandardCharsets.US_ASCII), "text/plain; charset=utf-8", null));
      return true;
    }
    String ext = file.contains(".") ? file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
    boolean hashed = (file.startsWith("js/") || file.startsWith("css/") || file.startsWith("img/"))
        && file.matches(".*\\.[0-9a-f]{8}\\.[a-z0-9]+(\\.map)?");
    res.respond(response(req, 200, body.get(), TYPES.getOrDefault(ext, "application/octet-stream"),
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

  private static HttpResponse response(HttpRequest req, int status, byte[] body, String type, String cacheControl) {
    HttpResponse r = HttpResponse.of(status, type, body);
    if (cacheControl != null) {
      r.header("Cache-Control", cacheControl);
    }
    r.header("X-Content-Type-Options", "nosniff");
    r.header("Content-Security-Policy", CSP);
    r.header("X-Frame-Options", "DENY");
    r.header("Referrer-Policy", "no-referrer");
    return Head.answer(req, r);
  }
}
