package io.parley.spring;

import io.parley.netty.ParleyServer;

/**
 * With {@code parley.port}: a bean that changes the standalone server's builder before it is
 * built, for what has no property (a TLS {@code SslContext}, plain HTTP routes, more Engine.IO
 * endpoints):
 *
 * <pre>{@code
 * @Bean
 * ParleyServerCustomizer health() {
 *   return builder -> builder.route((req, res) -> {
 *     if (!req.path().equals("/health")) return false;
 *     res.respond(HttpResponse.text(200, "UP"));
 *     return true;
 *   });
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ParleyServerCustomizer {
  /**
   * Changes the builder.
   *
   * @param builder holding the {@code parley.*} values
   */
  void customize(ParleyServer.Builder builder);
}
