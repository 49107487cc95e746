package io.parley.chat.web;

import io.parley.server.http.HttpRequest;
import io.parley.server.http.HttpResponse;

/** Answers {@code HEAD} like {@code GET}: the same status and headers, the GET body's Content-Length, no body. */
public final class Head {
  private static final byte[] NONE = new byte[0];

  private Head() {}

  /** {@code response} as is, or, when {@code request} is a HEAD, without its body but with its length. */
  public static HttpResponse answer(HttpRequest request, HttpResponse response) {
    if (request.method().equals("HEAD")) {
      response.header("Content-Length", Integer.toString(response.body().length)).body(NONE);
    }
    return response;
  }
}
