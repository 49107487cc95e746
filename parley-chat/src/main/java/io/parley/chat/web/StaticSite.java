package io.parley.chat.web;

import io.parley.server.http.HttpRequest;
import io.parley.server.http.HttpResponder;
import io.parley.server.http.HttpResponse;
import io.parley.server.http.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web client (the Vite build, put on the classpath under {@code /web} by the Maven
 * build) after the API router: hashed files under {@code /assets/} are cached for a year
 * ({@code public, max-age=31536000, immutable}), {@code index.html} and other files are
 * revalidated on every use ({@code no-cache}, with an ETag), and any other GET of a path that is
 * not the API's ({@code /api}, {@code /internal}, {@code /socket.io}, {@code /health},
 * {@code /metrics}) and does not look like a file answers {@code index.html}, so client routes
 * such as {@code /rooms/general} survive a reload. Files are read from the classpath once and kept.
 */
public final class StaticSite implements HttpRoute {
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";
  public static final String NO_CACHE = "no-cache";
  private static final List<String> NOT_MINE = List.of("/api", "/internal", "/socket.io", "/health", "/metrics");
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; "
      + "frame-ancestors 'none'; form-action 'self'";
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));
  private static final byte[] NOT_BUILT = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Parley</title>"
      + "<p>Parley is running. The web client was not built into this jar (built with <code>-Dweb.skip</code>?): "
      + "run <code>mvn -B package -DskipTests</code> with Node and npm on the PATH. The API is at <code>/api</code>, "
      + "Socket.IO at <code>/socket.io/</code>.</p></html>").getBytes(StandardCharsets.UTF_8);

  private record File(byte[] body, String type, String etag) {}

  private final String root;
  private final Map<String, File> cache = new ConcurrentHashMap<>();
  private final File index;

  /** @param root the classpath folder holding {@code index.html} and {@code assets/}, e.g. {@code /web} */
  public StaticSite(String root) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    File built = load("/index.html");
    this.index = built != null ? built : file(NOT_BUILT, TYPES.get("html"));
  }

  /** Whether the Vite build was found on the classpath. */
  public boolean built() {
    return index.body() != NOT_BUILT;
  }

  @Override
  public boolean handle(HttpRequest req, HttpResponder res) {
    String method = req.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false;
    }
    String path = req.path();
    for (String prefix : NOT_MINE) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return false;
      }
    }
    File f;
    String cacheControl;
    if (path.equals("/") || path.equals("/index.html")) {
      f = index;
      cacheControl = NO_CACHE;
    } else if (!SAFE_PATH.matcher(path).matches()) {
      return false;
    } else if (path.startsWith("/assets/")) {
      f = cached(path);
      if (f == null) {
        return false; // a missing asset is a 404, never index.html
      }
      cacheControl = IMMUTABLE;
    } else {
      f = cached(path);
      cacheControl = NO_CACHE;
      if (f == null) {
        if (lastSegment(path).contains(".")) {
          return false; // looks like a file: 404
        }
        f = index; // a client route
      }
    }
    res.respond(response(req, f, cacheControl));
    return true;
  }

  private File cached(String path) {
    File f = cache.get(path);
    if (f == null) {
      f = load(path);
      if (f != null) {
        cache.put(path, f);
      }
    }
    return f;
  }

  private File load(String path) {
    try (InputStream in = StaticSite.class.getResourceAsStream(root + path)) {
      if (in == null) {
        return null;
      }
      String ext = lastSegment(path).contains(".") ? path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
      return file(in.readAllBytes(), TYPES.getOrDefault(ext, "application/octet-stream"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static File file(byte[] body, String type) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return new File(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static HttpResponse response(HttpRequest req, File f, String cacheControl) {
    HttpResponse r;
    if (f.etag().equals(req.header("If-None-Match"))) {
      // No body. The binding gives every response a Content-Length unless it has one: on a 304 it
      // may only be the one a 200 would have (RFC 9110, 8.6), never 0.
      r = HttpResponse.of(304, f.type(), null).header("Content-Length", Integer.toString(f.body().length));
    } else {
      r = Head.answer(req, HttpResponse.of(200, f.type(), f.body()));
    }
    r.header("Cache-Control", cacheControl);
    r.header("ETag", f.etag());
    r.header("X-Content-Type-Options", "nosniff");
    // The client loads only its own scripts and styles and talks only to its own origin (HTTP and
    // Socket.IO, ws/wss included); it may not be framed; no referrer leaves the page.
    r.header("Content-Security-Policy", CSP);
    r.header("X-Frame-Options", "DENY");
    r.header("Referrer-Policy", "no-referrer");
    return r;
  }
}
