package io.parley.spring;

import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import io.parley.servlet.ParleyServlet;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Without {@code parley.port}: Socket.IO on the application's own port, Parley's servlet registered
 * at {@code parley.path} in the application's servlet container (Tomcat or Jetty, with their
 * WebSocket support).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ParleyServlet.class, ServletRegistrationBean.class})
@Conditional(ParleyServletConfiguration.NoParleyPort.class)
class ParleyServletConfiguration {

  /** Matches unless {@code parley.port} is set. */
  static class NoParleyPort extends NoneNestedConditions {
    NoParleyPort() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnProperty(prefix = "parley", name = "port")
    static class PortSet {}
  }

  /** The Socket.IO server: inject it to emit from anywhere ({@code io.to("room").emit(...)}). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SocketIoServer socketIoServer(ServerOptions options) {
    return new SocketIoServer(options);
  }

  /** Parley's servlet at {@code path*}, asynchronous, started with the application. */
  @Bean
  @ConditionalOnMissingBean(name = "parleyServlet")
  ServletRegistrationBean<ParleyServlet> parleyServlet(SocketIoServer io, EngineOptions engine) {
    ServletRegistrationBean<ParleyServlet> reg =
        new ServletRegistrationBean<>(new ParleyServlet(io, engine), engine.path() + "*");
    reg.setName("parley");
    reg.setAsyncSupported(true);
    reg.setLoadOnStartup(1);
    return reg;
  }

  /** Closes the server when the application stops, before the web server. */
  @Bean
  @ConditionalOnMissingBean
  ParleyLifecycle parleyLifecycle(SocketIoServer io) {
    return ParleyLifecycle.onApplicationPort(io);
  }
}
