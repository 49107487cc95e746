package io.parley.spring;

import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EngineOptions;
import io.parley.servlet.ParleyServlet;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Socket.IO on the application's own port: a {@link SocketIoServer} bean and Parley's servlet
 * registered at {@code parley.path} in the application's servlet container (Tomcat or Jetty, with
 * their WebSocket support), no second server and no second port. Every {@link SocketIoConfigurer}
 * bean is applied before the application starts serving.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ParleyServlet.class)
@EnableConfigurationProperties(ParleyProperties.class)
public class ParleyAutoConfiguration {

  /** The Socket.IO layer's options; declare a {@link ServerOptions} bean to replace them. */
  @Bean
  @ConditionalOnMissingBean
  public ServerOptions parleyServerOptions(ParleyProperties p) {
    return ServerOptions.builder().connectTimeout(p.getConnectTimeout()).build();
  }

  /** The Engine.IO options from {@code parley.*}; declare an {@link EngineOptions} bean to replace them. */
  @Bean
  @ConditionalOnMissingBean
  public EngineOptions parleyEngineOptions(ParleyProperties p) {
    List<String> origins = p.getCors().getAllowedOrigins();
    CorsOptions cors = origins.isEmpty() ? CorsOptions.NONE
        : origins.contains("*") ? CorsOptions.allowAll()
        : CorsOptions.origins(origins.toArray(String[]::new)).withCredentials(p.getCors().isAllowCredentials());
    return EngineOptions.builder()
        .path(p.getPath())
        .pingInterval(p.getPingInterval())
        .pingTimeout(p.getPingTimeout())
        .upgradeTimeout(p.getUpgradeTimeout())
        .maxHttpBufferSize(p.getMaxHttpBufferSize())
        .transports(p.getTransports().toArray(String[]::new))
        .cors(cors)
        .build();
  }

  /** The Socket.IO server: inject it to emit from anywhere ({@code io.to("room").emit(...)}). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SocketIoServer socketIoServer(ServerOptions options) {
    return new SocketIoServer(options);
  }

  /** Parley's servlet at {@code path*}, asynchronous, started with the application. */
  @Bean
  @ConditionalOnMissingBean(name = "parleyServlet")
  public ServletRegistrationBean<ParleyServlet> parleyServlet(SocketIoServer io, EngineOptions engine) {
    ServletRegistrationBean<ParleyServlet> reg =
        new ServletRegistrationBean<>(new ParleyServlet(io, engine), engine.path() + "*");
    reg.setName("parley");
    reg.setAsyncSupported(true);
    reg.setLoadOnStartup(1);
    return reg;
  }

  /**
   * Applies every {@link SocketIoConfigurer} bean, in order, once all beans exist and before the
   * web server starts taking requests.
   */
  @Bean
  public static SmartInitializingSingleton parleyConfigurers(ObjectProvider<SocketIoServer> io,
      ObjectProvider<SocketIoConfigurer> configurers) {
    return () -> configurers.orderedStream().forEach(c -> c.configure(io.getObject()));
  }
}
