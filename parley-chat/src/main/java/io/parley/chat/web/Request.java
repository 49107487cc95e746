package io.parley.chat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.server.http.HttpRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A routed HTTP request: Parley's {@link HttpRequest} (valid on any thread) with the path
 * parameters its route matched. {@link #remoteAddress()} is the client address (behind a trusted
 * proxy, the one it forwards for).
 */
public record Request(HttpRequest http, Map<String, String> pathParams, ObjectMapper mapper) {

  public String method() {
    return http.method();
  }

  /** The raw path, without the query. */
  public String path() {
    return http.path();
  }

  /** The decoded query parameters. */
  public Map<String, List<String>> query() {
    return http.queryParameters();
  }

  /** The first value of query parameter {@code name}, or null. */
  public String query(String name) {
    return http.query(name);
  }

  public String param(String name) {
    return pathParams.get(name);
  }

  public String header(String name) {
    return http.header(name);
  }

  public byte[] body() {
    return http.body();
  }

  /** The client address as text ({@code 203.0.113.7}). */
  public String remoteAddress() {
    return http.remoteAddress();
  }

  /** The body as a JSON object; 400 when it is empty, not JSON, or not an object. */
  public JsonNode json() {
    byte[] body = http.body();
    if (body.length == 0) {
      throw HttpError.badRequest("request body must be a JSON object");
    }
    JsonNode n;
    try {
      n = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpError.badRequest("invalid JSON");
    }
    if (n == null || !n.isObject()) {
      throw HttpError.badRequest("request body must be a JSON object");
    }
    return n;
  }
}
