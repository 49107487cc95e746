package io.parley.server.engine;

import io.parley.server.http.HttpResponse;

/** Applies {@link CorsOptions} to responses. */
final class Cors {
  private final CorsOptions options;

  Cors(CorsOptions options) {
    this.options = options;
  }

  /** Adds the CORS headers for a request from {@code origin} when that origin is allowed. */
  void apply(String origin, HttpResponse r) {
    if (!options.enabled() || origin == null || !options.origin().test(origin)) {
      return;
    }
    if (options.anyOrigin()) {
      r.header("Access-Control-Allow-Origin", "*");
    } else {
      r.header("Access-Control-Allow-Origin", origin);
      r.addHeader("Vary", "Origin");
    }
    if (options.credentials()) {
      r.header("Access-Control-Allow-Credentials", "true");
    }
    if (!options.exposedHeaders().isEmpty()) {
      r.header("Access-Control-Expose-Headers", String.join(",", options.exposedHeaders()));
    }
  }

  /** Adds the preflight headers ({@code OPTIONS}). */
  void applyPreflight(String origin, String requestHeaders, HttpResponse r) {
    apply(origin, r);
    if (!r.hasHeader("Access-Control-Allow-Origin")) {
      return;
    }
    r.header("Access-Control-Allow-Methods", String.join(",", options.methods()));
    if (!options.allowedHeaders().isEmpty()) {
      r.header("Access-Control-Allow-Headers", String.join(",", options.allowedHeaders()));
    } else if (requestHeaders != null) {
      r.header("Access-Control-Allow-Headers", requestHeaders);
      r.addHeader("Vary", "Access-Control-Request-Headers");
    }
    if (options.maxAge() != null) {
      r.header("Access-Control-Max-Age", String.valueOf(options.maxAge().toSeconds()));
    }
  }
}
