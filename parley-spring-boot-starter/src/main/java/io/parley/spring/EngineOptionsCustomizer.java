package io.parley.spring;

import io.parley.server.engine.EngineOptions;

/**
 * A bean that changes the Engine.IO options built from {@code parley.*}, for what has no property
 * (an {@code allowRequest} check, a CORS origin predicate):
 *
 * <pre>{@code
 * @Bean
 * EngineOptionsCustomizer apiKey() {
 *   return engine -> engine.allowRequest(req -> req.headers().containsKey("x-api-key") ? null : "missing API key");
 * }
 * }</pre>
 *
 * Applied in order ({@code @Order}); not applied when the application declares its own
 * {@link EngineOptions} bean.
 */
@FunctionalInterface
public interface EngineOptionsCustomizer {
  /**
   * Changes the options.
   *
   * @param engine the builder, holding the {@code parley.*} values
   */
  void customize(EngineOptions.Builder engine);
}
