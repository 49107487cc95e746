package io.parley.server.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cross-origin policy of the Engine.IO endpoints. The default, {@link #NONE}, sends no CORS header
 * at all: browsers then only allow same-origin pages, and credentialed cross-origin requests are
 * refused. Allow origins explicitly with {@link #origins} or {@link #originMatching}.
 *
 * @param origin which Origin header values are allowed (null: no CORS)
 * @param anyOrigin answer {@code *} instead of echoing the origin (only without credentials)
 * @param credentials send {@code Access-Control-Allow-Credentials: true}
 * @param methods allowed methods for preflight requests
 * @param allowedHeaders allowed request headers (empty: reflect the preflight's request headers)
 * @param exposedHeaders headers the browser may read
 * @param maxAge how long a preflight answer may be cached
 */
public record CorsOptions(
    Predicate<String> origin,
    boolean anyOrigin,
    boolean credentials,
    List<String> methods,
    List<String> allowedHeaders,
    List<String> exposedHeaders,
    Duration maxAge) {

  public static final CorsOptions NONE = new CorsOptions(null, false, false, List.of(), List.of(), List.of(), null);
  private static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");

  public CorsOptions {
    if (anyOrigin && credentials) {
      throw new IllegalArgumentException("credentials cannot be allowed for any origin; list the origins");
    }
    methods = List.copyOf(methods);
    allowedHeaders = List.copyOf(allowedHeaders);
    exposedHeaders = List.copyOf(exposedHeaders);
  }

  /** Allows every origin, without credentials ({@code Access-Control-Allow-Origin: *}). */
  public static CorsOptions allowAll() {
    return new CorsOptions(o -> true, true, false, DEFAULT_METHODS, List.of(), List.of(), null);
  }

  /** Allows exactly these origins (e.g. {@code https://app.example.com}). */
  public static CorsOptions origins(String... origins) {
    Set<String> set = Set.of(origins);
    return originMatching(set::contains);
  }

  /** Allows the origins the predicate accepts. */
  public static CorsOptions originMatching(Predicate<String> predicate) {
    return new CorsOptions(predicate, false, false, DEFAULT_METHODS, List.of(), List.of(), null);
  }

  public CorsOptions withCredentials(boolean c) {
    return new CorsOptions(origin, anyOrigin, c, methods, allowedHeaders, exposedHeaders, maxAge);
  }

  public CorsOptions withMethods(String... m) {
    return new CorsOptions(origin, anyOrigin, credentials, List.of(m), allowedHeaders, exposedHeaders, maxAge);
  }

  public CorsOptions withAllowedHeaders(String... h) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, List.of(h), exposedHeaders, maxAge);
  }

  public CorsOptions withExposedHeaders(String... h) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, allowedHeaders, List.of(h), maxAge);
  }

  public CorsOptions withMaxAge(Duration d) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, allowedHeaders, exposedHeaders, d);
  }

  boolean enabled() {
    return origin != null;
  }
}
