package io.parley.spring;

import io.lettuce.core.RedisClient;
import io.parley.redis.RedisAdapterOptions;
import io.parley.redis.RedisAdapters;
import io.parley.redis.RedisStreamsOptions;
import io.parley.redis.SubscriptionMode;
import io.parley.server.Namespace;
import io.parley.server.adapter.Adapter;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A cluster through Redis with {@code parley.redis.uri}: a Lettuce client and the adapter factory
 * of parley-redis chosen by {@code parley.redis.adapter}. The client is shut down after the
 * Socket.IO server (which depends on it through its options) has closed its adapters.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "parley.redis", name = "uri")
class ParleyRedisConfiguration {
  /** The bean name of the Lettuce client the adapters use. */
  static final String CLIENT = "parleyRedisClient";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RedisAdapters.class)
  static class Adapters {
    @Bean(name = CLIENT, destroyMethod = "shutdown")
    @ConditionalOnMissingBean(name = CLIENT)
    RedisClient parleyRedisClient(ParleyProperties p) {
      return RedisClient.create(p.getRedis().getUri());
    }

    /**
     * The adapter factory: {@code RedisAdapters} (classic, sharded) or {@code RedisStreamsAdapters},
     * each also a Parley {@code HealthIndicator} of its Redis connections.
     */
    @Bean(name = ParleyAutoConfiguration.ADAPTER_FACTORY)
    @ConditionalOnMissingBean(name = ParleyAutoConfiguration.ADAPTER_FACTORY)
    Function<Namespace, Adapter> parleyAdapterFactory(@Qualifier(CLIENT) RedisClient client, ParleyProperties p) {
      return adapterFactory(client, p.getRedis());
    }

    static Function<Namespace, Adapter> adapterFactory(RedisClient client, ParleyProperties.Redis r) {
      return switch (r.getAdapter()) {
        case CLASSIC -> RedisAdapters.classic(client, adapterOptions(r));
        case SHARDED -> RedisAdapters.sharded(client, adapterOptions(r));
        case STREAMS -> {
          ParleyProperties.Redis.Streams s = r.getStreams();
          yield RedisAdapters.streams(client, RedisStreamsOptions.builder()
              .channelPrefix(r.getChannelPrefix())
              .streamName(s.getStreamName())
              .streamCount(s.getStreamCount())
              .useShardedPubSub(s.isUseShardedPubSub())
              .maxLen(s.getMaxLen())
              .readCount(s.getReadCount())
              .blockTime(s.getBlockTime())
              .sessionKeyPrefix(s.getSessionKeyPrefix())
              .build());
        }
      };
    }

    private static RedisAdapterOptions adapterOptions(ParleyProperties.Redis r) {
      return RedisAdapterOptions.builder()
          .key(r.getChannelPrefix())
          .requestsTimeout(r.getRequestsTimeout())
          .publishOnSpecificResponseChannel(r.isPublishOnSpecificResponseChannel())
          .subscriptionMode(SubscriptionMode.valueOf(r.getSubscriptionMode().name()))
          .build();
    }
  }

  /** {@code parley.redis.uri} without parley-redis: fail at startup rather than run a lone node. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("io.parley.redis.RedisAdapters")
  static class Missing {
    @Bean
    Object parleyRedisMissing() {
      throw new IllegalStateException("parley.redis.uri is set but io.parley:parley-redis is not on the class path");
    }
  }
}
