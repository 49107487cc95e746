package io.parley.server.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cross-origin policy of the Engine.IO endpoints. The default, {@link #NONE}, sends no CORS header
 * at all: browsers then only allow same-origin pages, and credentialed cross-origin requests are
 * refused. Allow origins explicitly with {@link #origins} or {@link #originMatching}. Immutable; the
 * {@code with...} methods return new options. The counterpart of socket.io's {@code cors} option.
 *
 * <pre>{@code
 * CorsOptions cors = CorsOptions.origins("https://app.example.com", "https://admin.example.com")
 *     .withCredentials(true)
 *     .withMaxAge(Duration.ofHours(1));
 * }</pre>
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

  /** No CORS at all: no header is sent, so browsers allow same-origin pages only. The default. */
  public static final CorsOptions NONE = new CorsOptions(null, false, false, List.of(), List.of(), List.of(), null);
  private static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");

  /**
   * Checks the policy and copies the lists.
   *
   * @throws IllegalArgumentException when {@code anyOrigin} and {@code credentials} are both set
   */
  public CorsOptions {
    if (anyOrigin && credentials) {
      throw new IllegalArgumentException("credentials cannot be allowed for any origin; list the origins");
    }
    methods = List.copyOf(methods);
    allowedHeaders = List.copyOf(allowedHeaders);
    exposedHeaders = List.copyOf(exposedHeaders);
  }

  /**
   * Allows every origin, without credentials ({@code Access-Control-Allow-Origin: *}).
   *
   * @return new options
   */
  public static CorsOptions allowAll() {
    return new CorsOptions(o -> true, true, false, DEFAULT_METHODS, List.of(), List.of(), null);
  }

  /**
   * Allows exactly these origins (e.g. {@code https://app.example.com}), echoed back with
   * {@code Vary: Origin}.
   *
   * @param origins scheme, host and port, as browsers send them in {@code Origin}
   * @return new options
   */
  public static CorsOptions origins(String... origins) {
    Set<String> set = Set.of(origins);
    return originMatching(set::contains);
  }

  /**
   * Allows the origins the predicate accepts, echoed back with {@code Vary: Origin}.
   *
   * @param predicate tested on each request's {@code Origin} header; must be fast and thread-safe
   * @return new options
   */
  public static CorsOptions originMatching(Predicate<String> predicate) {
    return new CorsOptions(predicate, false, false, DEFAULT_METHODS, List.of(), List.of(), null);
  }

  /**
   * These options with {@code Access-Control-Allow-Credentials: true} (cookies, authorization headers)
   * sent or not.
   *
   * @param c whether credentials are allowed (not with {@link #allowAll()})
   * @return new options
   */
  public CorsOptions withCredentials(boolean c) {
    return new CorsOptions(origin, anyOrigin, c, methods, allowedHeaders, exposedHeaders, maxAge);
  }

  /**
   * These options with the methods allowed in preflight answers (default: GET, HEAD, PUT, PATCH, POST,
   * DELETE).
   *
   * @param m the methods
   * @return new options
   */
  public CorsOptions withMethods(String... m) {
    return new CorsOptions(origin, anyOrigin, credentials, List.of(m), allowedHeaders, exposedHeaders, maxAge);
  }

  /**
   * These options with the request headers allowed in preflight answers (none given: the preflight's
   * {@code Access-Control-Request-Headers} is reflected).
   *
   * @param h the header names
   * @return new options
   */
  public CorsOptions withAllowedHeaders(String... h) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, List.of(h), exposedHeaders, maxAge);
  }

  /**
   * These options with the response headers a page's script may read
   * ({@code Access-Control-Expose-Headers}).
   *
   * @param h the header names
   * @return new options
   */
  public CorsOptions withExposedHeaders(String... h) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, allowedHeaders, List.of(h), maxAge);
  }

  /**
   * These options with how long a browser may cache a preflight answer ({@code Access-Control-Max-Age}).
   *
   * @param d the duration, or null to send no such header
   * @return new options
   */
  public CorsOptions withMaxAge(Duration d) {
    return new CorsOptions(origin, anyOrigin, credentials, methods, allowedHeaders, exposedHeaders, d);
  }

  boolean enabled() {
    return origin != null;
  }
}
