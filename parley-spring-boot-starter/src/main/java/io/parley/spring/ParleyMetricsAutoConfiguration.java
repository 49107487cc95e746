package io.parley.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.parley.server.SocketIoServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Parley's meters ({@link ParleyMeters}) when Micrometer is on the class path: Spring Boot's
 * metrics support (Actuator) binds them to the application's {@code MeterRegistry}.
 */
@AutoConfiguration(after = ParleyAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(SocketIoServer.class)
public class ParleyMetricsAutoConfiguration {
  /**
   * The binder.
   *
   * @param io the server
   * @return its meters
   */
  @Bean
  @ConditionalOnMissingBean
  public ParleyMeters parleyMeters(SocketIoServer io) {
    return new ParleyMeters(io);
  }
}
