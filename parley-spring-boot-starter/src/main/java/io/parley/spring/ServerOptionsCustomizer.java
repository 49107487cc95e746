package io.parley.spring;

import io.parley.server.ServerOptions;

/**
 * A bean that changes the Socket.IO options built from {@code parley.*} before the server is made,
 * for what has no property (the Jackson mapper, a recovery store, a metrics sink):
 *
 * <pre>{@code
 * @Bean
 * ServerOptionsCustomizer javaTime() {
 *   return options -> options.mapper(new ObjectMapper().registerModule(new JavaTimeModule()));
 * }
 * }</pre>
 *
 * Applied in order ({@code @Order}); not applied when the application declares its own
 * {@link ServerOptions} bean.
 */
@FunctionalInterface
public interface ServerOptionsCustomizer {
  /**
   * Changes the options.
   *
   * @param options the builder, holding the {@code parley.*} values
   */
  void customize(ServerOptions.Builder options);
}
