package io.parley.chat.web;

import java.nio.charset.StandardCharsets;

/**
 * What a handler answers: either a value the router serialises as JSON, or raw bytes of a given
 * content type.
 */
public record Response(int status, String contentType, byte[] body, Object value) {
  public static final String JSON = "application/json";

  public static Response json(int status, Object value) {
    return new Response(status, JSON, null, value);
  }

  public static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), null);
  }
}
