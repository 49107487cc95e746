package io.parley.netty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Applies {@link CorsOptions} to responses. */
final class Cors {
  private final CorsOptions options;

  Cors(CorsOptions options) {
    this.options = options;
  }

  boolean enabled() {
    return options.enabled();
  }

  /** Adds the CORS headers for a request from {@code origin} when that origin is allowed. */
  void apply(String origin, HttpHeaders h) {
    if (!options.enabled() || origin == null || !options.origin().test(origin)) {
      return;
    }
    if (options.anyOrigin()) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    } else {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      h.add(HttpHeaderNames.VARY, "Origin");
    }
    if (options.credentials()) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    if (!options.exposedHeaders().isEmpty()) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(",", options.exposedHeaders()));
    }
  }

  /** Adds the preflight headers ({@code OPTIONS}). */
  void applyPreflight(String origin, String requestHeaders, HttpHeaders h) {
    apply(origin, h);
    if (!h.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
      return;
    }
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, String.join(",", options.methods()));
    if (!options.allowedHeaders().isEmpty()) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(",", options.allowedHeaders()));
    } else if (requestHeaders != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestHeaders);
      h.add(HttpHeaderNames.VARY, "Access-Control-Request-Headers");
    }
    if (options.maxAge() != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, String.valueOf(options.maxAge().toSeconds()));
    }
  }
}
