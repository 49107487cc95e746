package io.parley.spring;

import io.parley.server.EventRateLimit;
import io.parley.server.Namespace;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.adapter.Adapter;
import io.parley.server.engine.CorsOptions;
import io.parley.server.engine.EngineOptions;
import io.parley.server.recovery.RecoveryOptions;
import java.util.List;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Socket.IO in a Spring Boot application: the options from {@code parley.*}, a
 * {@link SocketIoServer} bean ({@code io}) served on the application's own port (a servlet
 * application) or, with {@code parley.port}, on a port of its own (parley-netty), a Redis adapter
 * with {@code parley.redis.uri} (parley-redis), the {@link SocketIoConfigurer} beans and
 * {@link OnEvent} methods wired in before the server takes connections, and a
 * {@link ParleyLifecycle} that closes the server when the application stops.
 */
@AutoConfiguration
@ConditionalOnClass(SocketIoServer.class)
@EnableConfigurationProperties(ParleyProperties.class)
@Import({ParleyRedisConfiguration.class, ParleyNettyConfiguration.class, ParleyServletConfiguration.class})
public class ParleyAutoConfiguration {
  /** The bean name of the adapter factory ({@code Function<Namespace, Adapter>}) used by the options. */
  public static final String ADAPTER_FACTORY = "parleyAdapterFactory";

  /**
   * The Socket.IO layer's options from {@code parley.*}, with the cluster adapter when one is
   * configured and every {@link ServerOptionsCustomizer} applied; declare a {@link ServerOptions}
   * bean to replace them.
   */
  @Bean
  @ConditionalOnMissingBean
  public ServerOptions parleyServerOptions(ParleyProperties p,
      @Qualifier(ADAPTER_FACTORY) ObjectProvider<Function<Namespace, Adapter>> adapterFactory,
      ObjectProvider<ServerOptionsCustomizer> customizers) {
    ServerOptions.Builder b = serverOptions(p);
    adapterFactory.ifAvailable(b::adapterFactory);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * The Engine.IO options from {@code parley.*}, with every {@link EngineOptionsCustomizer}
   * applied; declare an {@link EngineOptions} bean to replace them.
   */
  @Bean
  @ConditionalOnMissingBean
  public EngineOptions parleyEngineOptions(ParleyProperties p, ObjectProvider<EngineOptionsCustomizer> customizers) {
    EngineOptions.Builder b = engineOptions(p);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * Applies the {@link SocketIoConfigurer} beans and registers the {@link OnEvent},
   * {@link OnConnect} and {@link OnDisconnect} methods once all singletons exist.
   */
  @Bean
  static ParleyHandlerRegistrar parleyHandlerRegistrar() {
    return new ParleyHandlerRegistrar();
  }

  static ServerOptions.Builder serverOptions(ParleyProperties p) {
    ParleyProperties.Limits l = p.getLimits();
    ParleyProperties.Limits.EventRate rate = l.getEventRate();
    ServerOptions.Builder b = ServerOptions.builder()
        .connectTimeout(p.getConnectTimeout())
        .shutdownTimeout(p.getShutdownTimeout())
        .cleanupEmptyChildNamespaces(p.isCleanupEmptyChildNamespaces())
        .maxAttachments(l.getMaxAttachments())
        .maxPayloadDepth(l.getMaxPayloadDepth())
        .maxNamespacesPerConnection(l.getMaxNamespacesPerConnection())
        .maxRoomsPerSocket(l.getMaxRoomsPerSocket())
        .eventRateLimit(new EventRateLimit(rate.getPerSecond(), rate.getBurst(),
            rate.getAction() == ParleyProperties.Limits.EventRate.Action.DISCONNECT
                ? EventRateLimit.Action.DISCONNECT : EventRateLimit.Action.DROP));
    ParleyProperties.Recovery r = p.getRecovery();
    if (r.isEnabled()) {
      b.connectionStateRecovery(RecoveryOptions.builder()
          .maxDisconnectionDuration(r.getMaxDisconnectionDuration())
          .skipMiddlewares(r.isSkipMiddlewares())
          .maxPackets(r.getMaxPackets())
          .maxBytes(r.getMaxBytes().toBytes())
          .maxSessions(r.getMaxSessions())
          .build());
    }
    return b;
  }

  static EngineOptions.Builder engineOptions(ParleyProperties p) {
    ParleyProperties.Limits l = p.getLimits();
    return EngineOptions.builder()
        .path(p.getPath())
        .pingInterval(p.getPingInterval())
        .pingTimeout(p.getPingTimeout())
        .upgradeTimeout(p.getUpgradeTimeout())
        .maxHttpBufferSize(Math.toIntExact(p.getMaxHttpBufferSize().toBytes()))
        .transports(p.getTransports().toArray(String[]::new))
        .allowUpgrades(p.isAllowUpgrades())
        .cors(cors(p.getCors()))
        .maxBufferedBytes(Math.toIntExact(l.getMaxBufferedBytes().toBytes()))
        .handshakesPerSecondPerIp(l.getHandshakesPerSecondPerIp())
        .limitLoopback(l.isLimitLoopback());
  }

  static CorsOptions cors(ParleyProperties.Cors c) {
    List<String> origins = c.getAllowedOrigins();
    if (origins.isEmpty()) {
      return CorsOptions.NONE;
    }
    CorsOptions cors = origins.contains("*") ? CorsOptions.allowAll()
        : CorsOptions.origins(origins.toArray(String[]::new)).withCredentials(c.isAllowCredentials());
    if (origins.contains("*") && c.isAllowCredentials()) {
      throw new IllegalArgumentException("parley.cors.allow-credentials cannot be true with allowed-origins=*: list the origins");
    }
    cors = cors.withMethods(c.getAllowedMethods().toArray(String[]::new))
        .withAllowedHeaders(c.getAllowedHeaders().toArray(String[]::new))
        .withExposedHeaders(c.getExposedHeaders().toArray(String[]::new));
    return c.getMaxAge() == null ? cors : cors.withMaxAge(c.getMaxAge());
  }
}
