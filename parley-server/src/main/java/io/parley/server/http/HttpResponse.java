package io.parley.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response to send through an {@link HttpResponder}: a status, header lines and a body.
 * Built by one thread, then handed over; not thread-safe while being built.
 *
 * <pre>{@code
 * res.respond(HttpResponse.of(200, "text/plain; charset=UTF-8", bytes).header("Cache-Control", "no-store"));
 * }</pre>
 */
public final class HttpResponse {
  /** The content type of UTF-8 plain text. */
  public static final String TEXT = "text/plain; charset=UTF-8";
  /** The content type of JSON. */
  public static final String JSON = "application/json";
  /** The content type of HTML (give the charset in the document, or use your own type). */
  public static final String HTML = "text/html";
  private static final byte[] EMPTY = new byte[0];

  private final int status;
  /** Header names and values, alternating, in the order they were set. */
  private final List<String> headers = new ArrayList<>(8);
  private byte[] body;

  private HttpResponse(int status, byte[] body) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
    this.status = status;
    this.body = body == null ? EMPTY : body;
  }

  /**
   * A response with a body of {@code contentType} (null: no Content-Type header).
   *
   * @param status the HTTP status, 100 to 999
   * @param contentType the Content-Type header, or null
   * @param body the body (kept, not copied; null for none)
   * @return a new response
   */
  public static HttpResponse of(int status, String contentType, byte[] body) {
    HttpResponse r = new HttpResponse(status, body);
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    return r;
  }

  /**
   * A response without a body.
   *
   * @param status the HTTP status, 100 to 999
   * @return a new response
   */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, EMPTY);
  }

  /**
   * A {@code text/plain} UTF-8 response.
   *
   * @param status the HTTP status
   * @param body the text
   * @return a new response
   */
  public static HttpResponse text(int status, String body) {
    return of(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An {@code application/json} response of JSON text already encoded.
   *
   * @param status the HTTP status
   * @param json the JSON text
   * @return a new response
   */
  public static HttpResponse json(int status, String json) {
    return of(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The body (the array itself, not a copy; empty, never null). */
  public byte[] body() {
    return body;
  }

  /**
   * Replaces the body (for example to empty it in answer to {@code HEAD}).
   *
   * @param b the new body, or null for none
   * @return this response
   */
  public HttpResponse body(byte[] b) {
    this.body = b == null ? EMPTY : b;
    return this;
  }

  /**
   * Sets header {@code name} to {@code value}, replacing any value it had (names compare in any case).
   *
   * @param name the header name
   * @param value its value
   * @return this response
   */
  public HttpResponse header(String name, String value) {
    removeHeader(name);
    return addHeader(name, value);
  }

  /**
   * Adds a line of header {@code name}, keeping those it has (for {@code Set-Cookie}, {@code Vary}).
   *
   * @param name the header name
   * @param value its value
   * @return this response
   */
  public HttpResponse addHeader(String name, String value) {
    headers.add(Objects.requireNonNull(name, "name"));
    headers.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Removes every line of header {@code name} (any case).
   *
   * @param name the header name
   * @return this response
   */
  public HttpResponse removeHeader(String name) {
    for (int i = headers.size() - 2; i >= 0; i -= 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        headers.remove(i + 1);
        headers.remove(i);
      }
    }
    return this;
  }

  /**
   * The first value of header {@code name} (any case), or null.
   *
   * @param name the header name
   * @return its first value, or null
   */
  public String header(String name) {
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        return headers.get(i + 1);
      }
    }
    return null;
  }

  /**
   * Whether header {@code name} (any case) is set.
   *
   * @param name the header name
   * @return true when it has at least one line
   */
  public boolean hasHeader(String name) {
    return header(name) != null;
  }

  /** The header lines, in order. */
  public List<Map.Entry<String, String>> headers() {
    List<Map.Entry<String, String>> out = new ArrayList<>(headers.size() / 2);
    for (int i = 0; i < headers.size(); i += 2) {
      out.add(Map.entry(headers.get(i), headers.get(i + 1)));
    }
    return out;
  }

  /**
   * Calls {@code sink} with each header line, in order, without building entries.
   *
   * @param sink receives each name and value
   */
  public void forEachHeader(java.util.function.BiConsumer<String, String> sink) {
    for (int i = 0; i < headers.size(); i += 2) {
      sink.accept(headers.get(i), headers.get(i + 1));
    }
  }

  @Override
  public String toString() {
    return "HttpResponse[" + status + ", " + headers().toString().toLowerCase(Locale.ROOT) + ", " + body.length + " bytes]";
  }
}
