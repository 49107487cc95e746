package io.parley.spring;

import io.parley.server.SocketIoServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code parley} health indicator ({@link ParleyHealthIndicator}) when Spring Boot's health
 * module is on the class path (Actuator brings it); {@code management.health.parley.enabled=false}
 * turns it off.
 */
@AutoConfiguration(after = ParleyAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SocketIoServer.class)
@ConditionalOnEnabledHealthIndicator("parley")
public class ParleyHealthAutoConfiguration {
  /**
   * The indicator, named {@code parley} in the health endpoint.
   *
   * @param io the server
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "parleyHealthIndicator")
  public ParleyHealthIndicator parleyHealthIndicator(SocketIoServer io) {
    return new ParleyHealthIndicator(io);
  }
}
