package io.parley.netty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A small HTTP/1.1 client for Engine.IO requests; every request is bounded by a timeout. */
final class TestHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  final HttpClient client;
  final String base;

  TestHttp(String base) {
    this(base, null);
  }

  TestHttp(String base, SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.client = b.build();
    this.base = base;
  }

  static TestHttp to(ParleyServer server) {
    return new TestHttp("http://127.0.0.1:" + server.port());
  }

  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(REQUEST_TIMEOUT);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String pathAndQuery, String body, String... headers)
      throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String... headers)
      throws IOException, InterruptedException {
    return client.send(request(pathAndQuery, headers).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polling handshake on {@code path} (e.g. {@code /engine.io/}); returns the open packet's JSON. */
  JsonNode handshake(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path + "?EIO=4&transport=polling");
    if (r.statusCode() != 200 || !r.body().startsWith("0{")) {
      throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body().substring(1));
  }

  /** Polling handshake; returns the sid. */
  String open(String path) throws IOException, InterruptedException {
    return handshake(path).get("sid").textValue();
  }

  static String polling(String path, String sid) {
    return path + "?EIO=4&transport=polling&sid=" + sid;
  }

  @Override
  public void close() {
    client.close();
  }
}
