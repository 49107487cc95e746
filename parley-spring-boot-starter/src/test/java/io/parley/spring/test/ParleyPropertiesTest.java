package io.parley.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.netty.ParleyServer;
import io.parley.redis.RedisAdapters;
import io.parley.redis.RedisStreamsAdapters;
import io.parley.redis.SubscriptionMode;
import io.parley.server.EventRateLimit;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import io.parley.server.recovery.RecoveryOptions;
import io.parley.spring.EngineOptionsCustomizer;
import io.parley.spring.OnEvent;
import io.parley.spring.ParleyAutoConfiguration;
import io.parley.spring.ServerOptionsCustomizer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/**
 * {@code parley.*} binds to every option, defaults equal {@code ServerOptions.DEFAULT} and
 * {@code EngineOptions.DEFAULT}, and the optional parts (parley-redis, parley-netty) appear only
 * when asked for and fail clearly when asked for without their module. No server is started here
 * (the socket-level effects are in the other tests).
 */
@Timeout(30)
class ParleyPropertiesTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class));

  @Test
  void theDefaultsAreParleysDefaults() {
    runner.run(ctx -> {
      ServerOptions server = ctx.getBean(ServerOptions.class);
      EngineOptions engine = ctx.getBean(EngineOptions.class);
      assertThat(server).usingRecursiveComparison().ignoringFields("mapper", "adapterFactory", "metrics")
          .isEqualTo(ServerOptions.DEFAULT);
      assertThat(server.connectionStateRecovery()).isNull();
      assertThat(engine).usingRecursiveComparison().ignoringFields("allowRequest").isEqualTo(EngineOptions.DEFAULT);
      // a non-web application without parley.port has no server, and no Redis without parley.redis.uri
      assertThat(ctx).doesNotHaveBean(SocketIoServer.class).doesNotHaveBean(ParleyAutoConfiguration.ADAPTER_FACTORY);
    });
  }

  @Test
  void everyPropertyReachesItsOption() {
    runner.withPropertyValues(
        "parley.path=/rt", "parley.ping-interval=3s", "parley.ping-timeout=2s", "parley.upgrade-timeout=4s",
        "parley.max-http-buffer-size=64KB", "parley.transports=websocket", "parley.allow-upgrades=false",
        "parley.connect-timeout=7s", "parley.shutdown-timeout=1500ms", "parley.cleanup-empty-child-namespaces=true",
        "parley.cors.allowed-origins=https://a.example,https://b.example", "parley.cors.allow-credentials=true",
        "parley.cors.allowed-methods=GET,POST", "parley.cors.allowed-headers=x-token",
        "parley.cors.exposed-headers=x-trace", "parley.cors.max-age=1h",
        "parley.limits.max-buffered-bytes=1MB", "parley.limits.handshakes-per-second-per-ip=5",
        "parley.limits.limit-loopback=true", "parley.limits.max-attachments=3", "parley.limits.max-payload-depth=20",
        "parley.limits.max-namespaces-per-connection=4", "parley.limits.max-rooms-per-socket=30",
        "parley.limits.event-rate.per-second=10", "parley.limits.event-rate.burst=20",
        "parley.limits.event-rate.action=disconnect",
        "parley.recovery.enabled=true", "parley.recovery.max-disconnection-duration=30s",
        "parley.recovery.skip-middlewares=false", "parley.recovery.max-packets=100", "parley.recovery.max-bytes=2MB",
        "parley.recovery.max-sessions=50")
        .run(ctx -> {
          EngineOptions e = ctx.getBean(EngineOptions.class);
          assertThat(e.path()).isEqualTo("/rt/");
          assertThat(e.pingInterval()).isEqualTo(Duration.ofSeconds(3));
          assertThat(e.pingTimeout()).isEqualTo(Duration.ofSeconds(2));
          assertThat(e.upgradeTimeout()).isEqualTo(Duration.ofSeconds(4));
          assertThat(e.maxHttpBufferSize()).isEqualTo(64 * 1024);
          assertThat(e.transports()).isEqualTo(Set.of("websocket"));
          assertThat(e.allowUpgrades()).isFalse();
          assertThat(e.cors().origin().test("https://a.example")).isTrue();
          assertThat(e.cors().origin().test("https://c.example")).isFalse();
          assertThat(e.cors().credentials()).isTrue();
          assertThat(e.cors().methods()).containsExactly("GET", "POST");
          assertThat(e.cors().allowedHeaders()).containsExactly("x-token");
          assertThat(e.cors().exposedHeaders()).containsExactly("x-trace");
          assertThat(e.cors().maxAge()).isEqualTo(Duration.ofHours(1));
          assertThat(e.maxBufferedBytes()).isEqualTo(1024 * 1024);
          assertThat(e.handshakesPerSecondPerIp()).isEqualTo(5);
          assertThat(e.limitLoopback()).isTrue();

          ServerOptions s = ctx.getBean(ServerOptions.class);
          assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
          assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofMillis(1500));
          assertThat(s.cleanupEmptyChildNamespaces()).isTrue();
          assertThat(s.maxAttachments()).isEqualTo(3);
          assertThat(s.maxPayloadDepth()).isEqualTo(20);
          assertThat(s.maxNamespacesPerConnection()).isEqualTo(4);
          assertThat(s.maxRoomsPerSocket()).isEqualTo(30);
          assertThat(s.eventRateLimit()).isEqualTo(new EventRateLimit(10, 20, EventRateLimit.Action.DISCONNECT));
          RecoveryOptions r = s.connectionStateRecovery();
          assertThat(r.maxDisconnectionDuration()).isEqualTo(Duration.ofSeconds(30));
          assertThat(r.skipMiddlewares()).isFalse();
          assertThat(r.maxPackets()).isEqualTo(100);
          assertThat(r.maxBytes()).isEqualTo(2 * 1024 * 1024);
          assertThat(r.maxSessions()).isEqualTo(50);
        });
  }

  @Test
  void corsForAnyOriginAndNoneByDefault() {
    runner.withPropertyValues("parley.cors.allowed-origins=*").run(ctx ->
        assertThat(ctx.getBean(EngineOptions.class).cors().anyOrigin()).isTrue());
    runner.withPropertyValues("parley.cors.allowed-origins=*", "parley.cors.allow-credentials=true").run(ctx ->
        assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("allow-credentials"));
  }

  @Test
  void theRedisAdapterFollowsParleyRedis() {
    ApplicationContextRunner redis = runner.withPropertyValues("parley.redis.uri=redis://127.0.0.1:6379",
        "parley.redis.channel-prefix=starter-props");
    redis.run(ctx -> {
      RedisAdapters classic = ctx.getBean(ParleyAutoConfiguration.ADAPTER_FACTORY, RedisAdapters.class);
      assertThat(classic.options().key()).isEqualTo("starter-props");
      assertThat(ctx.getBean(ServerOptions.class).adapterFactory()).isSameAs(classic);
    });
    redis.withPropertyValues("parley.redis.adapter=sharded", "parley.redis.subscription-mode=dynamic-private",
        "parley.redis.requests-timeout=2s").run(ctx -> {
          RedisAdapters sharded = ctx.getBean(ParleyAutoConfiguration.ADAPTER_FACTORY, RedisAdapters.class);
          assertThat(sharded.options().subscriptionMode()).isEqualTo(SubscriptionMode.DYNAMIC_PRIVATE);
          assertThat(sharded.options().requestsTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
    redis.withPropertyValues("parley.redis.adapter=streams", "parley.redis.streams.stream-name=starter-stream",
        "parley.redis.streams.max-len=500", "parley.redis.streams.session-key-prefix=starter:s:").run(ctx -> {
          RedisStreamsAdapters streams = ctx.getBean(ParleyAutoConfiguration.ADAPTER_FACTORY, RedisStreamsAdapters.class);
          assertThat(streams.options().streamName()).isEqualTo("starter-stream");
          assertThat(streams.options().channelPrefix()).isEqualTo("starter-props");
          assertThat(streams.options().maxLen()).isEqualTo(500);
          assertThat(streams.options().sessionKeyPrefix()).isEqualTo("starter:s:");
        });
  }

  @Test
  void aRedisUriWithoutParleyRedisFailsAtStartup() {
    runner.withClassLoader(new FilteredClassLoader(RedisAdapters.class))
        .withPropertyValues("parley.redis.uri=redis://127.0.0.1:6379")
        .run(ctx -> assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("parley-redis"));
  }

  @Test
  void aPortWithoutParleyNettyFailsAtStartup() {
    runner.withClassLoader(new FilteredClassLoader(ParleyServer.class))
        .withPropertyValues("parley.port=0")
        .run(ctx -> assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("parley-netty"));
  }

  @Test
  void customizersChangeWhatPropertiesCannot() {
    runner.withUserConfiguration(Customized.class).run(ctx -> {
      assertThat(ctx.getBean(ServerOptions.class).maxAttachments()).isEqualTo(1);
      assertThat(ctx.getBean(EngineOptions.class).allowRequest().check(null)).isEqualTo("closed");
    });
  }

  @Test
  void handlersWithoutAServerFailAtStartup() {
    runner.withUserConfiguration(HandlerOnly.class)
        .run(ctx -> assertThat(NestedExceptionUtils.getMostSpecificCause(ctx.getStartupFailure())).hasMessageContaining("needs a Socket.IO server"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Customized {
    @Bean
    ServerOptionsCustomizer oneAttachment() {
      return b -> b.maxAttachments(1);
    }

    @Bean
    EngineOptionsCustomizer closed() {
      return b -> b.allowRequest(req -> "closed");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class HandlerOnly {
    @Bean
    Object handler() {
      return new Object() {
        @OnEvent("x")
        void x() {}
      };
    }
  }
}
