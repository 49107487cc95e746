package io.parley.spring;

import io.parley.netty.ConnectionLimits;
import io.parley.netty.ParleyServer;
import io.parley.netty.TrustedProxies;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.EngineOptions;
import java.io.File;
import javax.net.ssl.SSLException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code parley.port}: Socket.IO on a port of its own, served by parley-netty's
 * {@link ParleyServer} (started and stopped with the application context), instead of on the
 * application's port; the application may have no web server at all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "parley", name = "port")
class ParleyNettyConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ParleyServer.class)
  static class Netty {
    /** The standalone server, built but not started (its lifecycle binds the port). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ParleyServer parleyServer(ParleyProperties p, ServerOptions server, EngineOptions engine,
        ObjectProvider<ParleyServerCustomizer> customizers) throws SSLException {
      ParleyProperties.Netty n = p.getNetty();
      ParleyProperties.Limits l = p.getLimits();
      ParleyServer.Builder b = ParleyServer.builder()
          .host(p.getHost())
          .port(p.getPort())
          .server(server)
          .engine(engine)
          .ioThreads(n.getIoThreads())
          .acceptOnEveryLoop(n.isAcceptOnEveryLoop())
          .perMessageDeflate(n.isPerMessageDeflate())
          .httpCompression(n.isHttpCompression())
          .connectionLimits(new ConnectionLimits(l.getMaxConnections(), l.getMaxConnectionsPerIp(), l.isLimitLoopback()))
          .trustedProxies(n.getTrustedProxies().isEmpty() ? TrustedProxies.NONE : TrustedProxies.of(n.getTrustedProxies()));
      if (n.getCertificateChain() != null || n.getPrivateKey() != null) {
        if (n.getCertificateChain() == null || n.getPrivateKey() == null) {
          throw new IllegalArgumentException("parley.netty.certificate-chain and parley.netty.private-key go together");
        }
        b.tls(new File(n.getCertificateChain()), new File(n.getPrivateKey()));
      }
      customizers.orderedStream().forEach(c -> c.customize(b));
      return b.build();
    }

    /** The standalone server's Socket.IO server: the {@code io} to inject. */
    @Bean(destroyMethod = "")
    SocketIoServer socketIoServer(ParleyServer server) {
      return server.io();
    }

    @Bean
    @ConditionalOnMissingBean
    ParleyLifecycle parleyLifecycle(ParleyServer server) {
      return new ParleyLifecycle(server.io(), new ParleyLifecycle.Binding() {
        @Override
        public void start() throws InterruptedException {
          server.start();
        }

        @Override
        public void stop() {
          server.close();
        }
      });
    }
  }

  /** {@code parley.port} without parley-netty: fail at startup rather than serve nothing. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("io.parley.netty.ParleyServer")
  static class Missing {
    @Bean
    Object parleyNettyMissing() {
      throw new IllegalStateException("parley.port is set but io.parley:parley-netty is not on the class path");
    }
  }
}
