package io.parley.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ParleyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web client's static files: caching headers, content types, the index.html fallback for client routes. */
class StaticSiteTest {
  private static ParleyServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ParleyServer.builder().host("127.0.0.1").port(0).route(new StaticSite("/static-test")).build();
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void indexIsRevalidatedAndHashedAssetsAreImmutable() throws Exception {
    HttpResponse<String> index = get("/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(header(index, "content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(header(index, "cache-control")).isEqualTo("no-cache");
    assertThat(index.body()).contains("<div id=\"root\">");
    assertThat(header(index, "content-security-policy"))
        .contains("default-src 'self'", "script-src 'self'", "connect-src 'self' ws: wss:", "frame-ancestors 'none'");
    assertThat(header(index, "x-frame-options")).isEqualTo("DENY");
    assertThat(header(index, "x-content-type-options")).isEqualTo("nosniff");
    assertThat(header(index, "referrer-policy")).isEqualTo("no-referrer");
    HttpResponse<String> again = get("/", header(index, "etag"));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<String> js = get("/assets/index-AbC123.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(header(js, "content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(js, "cache-control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(js.body()).contains("console.log");
    HttpResponse<String> css = get("/assets/index-AbC123.css", null);
    assertThat(header(css, "content-type")).isEqualTo("text/css; charset=utf-8");
    assertThat(header(get("/robots.txt", null), "cache-control")).isEqualTo("no-cache");
  }

  @Test
  void clientRoutesFallBackToIndexButFilesAndServerPathsDoNot() throws Exception {
    for (String route : new String[] {"/rooms/general", "/messages/3", "/admin", "/notifications?x=1"}) {
      HttpResponse<String> r = get(route, null);
      assertThat(r.statusCode()).as(route).isEqualTo(200);
      assertThat(r.body()).as(route).contains("<div id=\"root\">");
      assertThat(header(r, "cache-control")).as(route).isEqualTo("no-cache");
    }
    for (String path : new String[] {"/assets/missing-123.js", "/favicon.ico", "/api/rooms", "/api", "/internal/notify/x",
        "/health", "/metrics", "/../etc/passwd", "/.env", "/a/%2e%2e/b"}) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(get("/socket.io/?EIO=4", null).body()).doesNotContain("<div id=\"root\">"); // the Engine.IO endpoint's
  }
}
