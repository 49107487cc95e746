package io.parley.chat.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A routed HTTP request, detached from Netty's buffers. {@code remoteAddress} is the client address
 * ({@link io.parley.netty.ClientAddress}: behind a trusted proxy, the one it forwards for).
 */
public record Request(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    HttpHeaders headers,
    byte[] body,
    ObjectMapper mapper,
    String remoteAddress) {

  public String param(String name) {
    return pathParams.get(name);
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** The body as a JSON object; 400 when it is empty, not JSON, or not an object. */
  public JsonNode json() {
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
