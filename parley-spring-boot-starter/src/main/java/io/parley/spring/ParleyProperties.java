package io.parley.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code parley.*} in {@code application.properties}/{@code .yml}: every option of the Socket.IO
 * server, its limits, connection state recovery, a Redis cluster and the standalone (Netty)
 * binding. Defaults are socket.io's, and Parley's for the limits socket.io does not have.
 *
 * <pre>
 * parley.ping-interval=25s
 * parley.cors.allowed-origins=https://app.example
 * parley.recovery.enabled=true
 * parley.redis.uri=redis://127.0.0.1:6379
 * parley.port=3000            # Socket.IO on a port of its own (parley-netty) instead of the application's
 * </pre>
 */
@ConfigurationProperties(prefix = "parley")
public class ParleyProperties {
  /** Where the Socket.IO endpoint is mounted (on the application's port, the servlet maps path + "*"). */
  private String path = "/socket.io/";
  /** How often the server pings each client. */
  private Duration pingInterval = Duration.ofSeconds(25);
  /** How long it waits for the pong before the connection is closed (ping timeout). */
  private Duration pingTimeout = Duration.ofSeconds(20);
  /** How long a polling to WebSocket upgrade may take. */
  private Duration upgradeTimeout = Duration.ofSeconds(10);
  /** The largest polling body or WebSocket message accepted (a plain number is bytes). */
  private DataSize maxHttpBufferSize = DataSize.ofBytes(1_000_000);
  /** The transports offered: polling and/or websocket. */
  private List<String> transports = new ArrayList<>(List.of("polling", "websocket"));
  /** Whether a polling session may upgrade to WebSocket. */
  private boolean allowUpgrades = true;
  /** How long a connection may stay without joining a namespace. */
  private Duration connectTimeout = Duration.ofSeconds(45);
  /** How long closing the server waits for running handlers, then for the disconnect listeners. */
  private Duration shutdownTimeout = Duration.ofSeconds(5);
  /** Whether a child of a dynamic namespace is removed when its last socket leaves. */
  private boolean cleanupEmptyChildNamespaces;
  /**
   * Serve Socket.IO on this port of its own with parley-netty's ParleyServer (0 picks a free one)
   * instead of on the application's port; unset: on the application's port.
   */
  private Integer port;
  /** With parley.port: the address to bind (0.0.0.0: every IPv4 interface). */
  private String host = "0.0.0.0";
  /** Cross-origin access for browsers on other origins (none by default). */
  private final Cors cors = new Cors();
  /** Limits on clients, connections and events. */
  private final Limits limits = new Limits();
  /** Connection state recovery (socket.io's connectionStateRecovery). */
  private final Recovery recovery = new Recovery();
  /** A cluster of nodes through Redis (needs parley-redis). */
  private final Redis redis = new Redis();
  /** With parley.port: options of the standalone Netty binding. */
  private final Netty netty = new Netty();

  /** parley.cors.*. */
  public static class Cors {
    /** Origins allowed to connect (* for any); empty: same-origin pages only. */
    private List<String> allowedOrigins = new ArrayList<>();
    /** Whether cookies and credentials may be sent cross-origin (never with *). */
    private boolean allowCredentials;
    /** Methods allowed in preflight answers. */
    private List<String> allowedMethods = new ArrayList<>(List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"));
    /** Request headers allowed in preflight answers; empty: the preflight's own are reflected. */
    private List<String> allowedHeaders = new ArrayList<>();
    /** Response headers a page's script may read. */
    private List<String> exposedHeaders = new ArrayList<>();
    /** How long a browser may cache a preflight answer; unset: no Access-Control-Max-Age. */
    private Duration maxAge;

    public List<String> getAllowedOrigins() {
      return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
    }

    public boolean isAllowCredentials() {
      return allowCredentials;
    }

    public void setAllowCredentials(boolean allowCredentials) {
      this.allowCredentials = allowCredentials;
    }

    public List<String> getAllowedMethods() {
      return allowedMethods;
    }

    public void setAllowedMethods(List<String> allowedMethods) {
      this.allowedMethods = allowedMethods;
    }

    public List<String> getAllowedHeaders() {
      return allowedHeaders;
    }

    public void setAllowedHeaders(List<String> allowedHeaders) {
      this.allowedHeaders = allowedHeaders;
    }

    public List<String> getExposedHeaders() {
      return exposedHeaders;
    }

    public void setExposedHeaders(List<String> exposedHeaders) {
      this.exposedHeaders = exposedHeaders;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }

  /** parley.limits.*: Parley's limits, each with a safe default. */
  public static class Limits {
    /** The most bytes queued for one connection before it is closed as a slow reader (slow client). */
    private DataSize maxBufferedBytes = DataSize.ofMegabytes(4);
    /** New sessions one client address may open per second, with bursts of twice that; 0: no limit. */
    private double handshakesPerSecondPerIp = 20;
    /** Apply the per-address limits to loopback clients too. */
    private boolean limitLoopback;
    /** The most binary attachments one packet may declare. */
    private int maxAttachments = 10;
    /** The deepest nesting of arrays and objects accepted in a payload. */
    private int maxPayloadDepth = 100;
    /** Namespaces one connection may join. */
    private int maxNamespacesPerConnection = 50;
    /** Rooms one socket may be in, its own included. */
    private int maxRoomsPerSocket = 1000;
    /** With parley.port: open connections in total. */
    private int maxConnections = 100_000;
    /** With parley.port: open connections from one client address. */
    private int maxConnectionsPerIp = 1000;
    /** Events one socket may send (a token bucket). */
    private final EventRate eventRate = new EventRate();

    /** parley.limits.event-rate.*. */
    public static class EventRate {
      /** Events per second each socket may send; 0 turns the limit off (as socket.io). */
      private double perSecond = 500;
      /** How many events may come at once. */
      private double burst = 1000;
      /** What happens to an event over the limit: drop it, or disconnect (too many events). */
      private Action action = Action.DROP;

      /** What happens to an event over the limit. */
      public enum Action {
        /** The event is dropped; the socket stays. */
        DROP,
        /** The connection is closed (too many events). */
        DISCONNECT
      }

      public double getPerSecond() {
        return perSecond;
      }

      public void setPerSecond(double perSecond) {
        this.perSecond = perSecond;
      }

      public double getBurst() {
        return burst;
      }

      public void setBurst(double burst) {
        this.burst = burst;
      }

      public Action getAction() {
        return action;
      }

      public void setAction(Action action) {
        this.action = action;
      }
    }

    public DataSize getMaxBufferedBytes() {
      return maxBufferedBytes;
    }

    public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
      this.maxBufferedBytes = maxBufferedBytes;
    }

    public double getHandshakesPerSecondPerIp() {
      return handshakesPerSecondPerIp;
    }

    public void setHandshakesPerSecondPerIp(double handshakesPerSecondPerIp) {
      this.handshakesPerSecondPerIp = handshakesPerSecondPerIp;
    }

    public boolean isLimitLoopback() {
      return limitLoopback;
    }

    public void setLimitLoopback(boolean limitLoopback) {
      this.limitLoopback = limitLoopback;
    }

    public int getMaxAttachments() {
      return maxAttachments;
    }

    public void setMaxAttachments(int maxAttachments) {
      this.maxAttachments = maxAttachments;
    }

    public int getMaxPayloadDepth() {
      return maxPayloadDepth;
    }

    public void setMaxPayloadDepth(int maxPayloadDepth) {
      this.maxPayloadDepth = maxPayloadDepth;
    }

    public int getMaxNamespacesPerConnection() {
      return maxNamespacesPerConnection;
    }

    public void setMaxNamespacesPerConnection(int maxNamespacesPerConnection) {
      this.maxNamespacesPerConnection = maxNamespacesPerConnection;
    }

    public int getMaxRoomsPerSocket() {
      return maxRoomsPerSocket;
    }

    public void setMaxRoomsPerSocket(int maxRoomsPerSocket) {
      this.maxRoomsPerSocket = maxRoomsPerSocket;
    }

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerIp() {
      return maxConnectionsPerIp;
    }

    public void setMaxConnectionsPerIp(int maxConnectionsPerIp) {
      this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    public EventRate getEventRate() {
      return eventRate;
    }
  }

  /** parley.recovery.*: connection state recovery, off by default (as socket.io). */
  public static class Recovery {
    /** Turn connection state recovery on. */
    private boolean enabled;
    /** How long a disconnected session and the packets it missed are kept. */
    private Duration maxDisconnectionDuration = Duration.ofMinutes(2);
    /** Skip the connection middlewares when a session is recovered. */
    private boolean skipMiddlewares = true;
    /** In-memory store: the most packets kept per namespace. */
    private int maxPackets = 10_000;
    /** In-memory store: the most encoded packet bytes kept per namespace. */
    private DataSize maxBytes = DataSize.ofMegabytes(32);
    /** In-memory store: the most disconnected sessions kept per namespace. */
    private int maxSessions = 100_000;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getMaxDisconnectionDuration() {
      return maxDisconnectionDuration;
    }

    public void setMaxDisconnectionDuration(Duration maxDisconnectionDuration) {
      this.maxDisconnectionDuration = maxDisconnectionDuration;
    }

    public boolean isSkipMiddlewares() {
      return skipMiddlewares;
    }

    public void setSkipMiddlewares(boolean skipMiddlewares) {
      this.skipMiddlewares = skipMiddlewares;
    }

    public int getMaxPackets() {
      return maxPackets;
    }

    public void setMaxPackets(int maxPackets) {
      this.maxPackets = maxPackets;
    }

    public DataSize getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
      this.maxBytes = maxBytes;
    }

    public int getMaxSessions() {
      return maxSessions;
    }

    public void setMaxSessions(int maxSessions) {
      this.maxSessions = maxSessions;
    }
  }

  /** parley.redis.*: the cluster's Redis and adapter; nothing without uri. */
  public static class Redis {
    /** The Redis to join a cluster through, e.g. redis://127.0.0.1:6379; unset: a single node. */
    private String uri;
    /** Which adapter of parley-redis: classic, sharded or streams. */
    private Adapter adapter = Adapter.CLASSIC;
    /**
     * The prefix of the adapter's channels: the classic adapter's key, the sharded and
     * Streams adapters' channelPrefix. The same on every node (and emitter) of the cluster.
     */
    private String channelPrefix = "socket.io";
    /** Classic adapter: how long a request to the other nodes waits when the operation sets no timeout. */
    private Duration requestsTimeout = Duration.ofSeconds(5);
    /** Classic adapter: answer requests on the requester's own response channel. */
    private boolean publishOnSpecificResponseChannel;
    /** Sharded adapter: static, dynamic or dynamic-private. */
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;
    /** Options of the Streams adapter. */
    private final Streams streams = new Streams();

    /** The adapters of parley-redis. */
    public enum Adapter {
      /** PUBLISH/PSUBSCRIBE, as @socket.io/redis-adapter's createAdapter. */
      CLASSIC,
      /** Redis 7 sharded Pub/Sub, as createShardedAdapter. */
      SHARDED,
      /** Redis Streams, as @socket.io/redis-streams-adapter: connection state recovery across nodes. */
      STREAMS
    }

    /** The sharded adapter's subscription modes. */
    public enum SubscriptionMode {
      /** Two channels per namespace. */
      STATIC,
      /** Plus one channel per public room. */
      DYNAMIC,
      /** Plus one channel per room, private ones included. */
      DYNAMIC_PRIVATE
    }

    /** parley.redis.streams.*. */
    public static class Streams {
      /** The stream, or the prefix of the streams when there are several. */
      private String streamName = "socket.io";
      /** How many streams the namespaces are spread over. */
      private int streamCount = 1;
      /** SPUBLISH/SSUBSCRIBE instead of PUBLISH/SUBSCRIBE for requests and responses. */
      private boolean useShardedPubSub;
      /** About how many entries a stream keeps: what a reconnecting client can recover. */
      private int maxLen = 10_000;
      /** Entries per XREAD. */
      private int readCount = 100;
      /** How long one XREAD waits for new entries. */
      private Duration blockTime = Duration.ofSeconds(5);
      /** The key prefix of the sessions kept for connection state recovery. */
      private String sessionKeyPrefix = "sio:session:";

      public String getStreamName() {
        return streamName;
      }

      public void setStreamName(String streamName) {
        this.streamName = streamName;
      }

      public int getStreamCount() {
        return streamCount;
      }

      public void setStreamCount(int streamCount) {
        this.streamCount = streamCount;
      }

      public boolean isUseShardedPubSub() {
        return useShardedPubSub;
      }

      public void setUseShardedPubSub(boolean useShardedPubSub) {
        this.useShardedPubSub = useShardedPubSub;
      }

      public int getMaxLen() {
        return maxLen;
      }

      public void setMaxLen(int maxLen) {
        this.maxLen = maxLen;
      }

      public int getReadCount() {
        return readCount;
      }

      public void setReadCount(int readCount) {
        this.readCount = readCount;
      }

      public Duration getBlockTime() {
        return blockTime;
      }

      public void setBlockTime(Duration blockTime) {
        this.blockTime = blockTime;
      }

      public String getSessionKeyPrefix() {
        return sessionKeyPrefix;
      }

      public void setSessionKeyPrefix(String sessionKeyPrefix) {
        this.sessionKeyPrefix = sessionKeyPrefix;
      }
    }

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public Adapter getAdapter() {
      return adapter;
    }

    public void setAdapter(Adapter adapter) {
      this.adapter = adapter;
    }

    public String getChannelPrefix() {
      return channelPrefix;
    }

    public void setChannelPrefix(String channelPrefix) {
      this.channelPrefix = channelPrefix;
    }

    public Duration getRequestsTimeout() {
      return requestsTimeout;
    }

    public void setRequestsTimeout(Duration requestsTimeout) {
      this.requestsTimeout = requestsTimeout;
    }

    public boolean isPublishOnSpecificResponseChannel() {
      return publishOnSpecificResponseChannel;
    }

    public void setPublishOnSpecificResponseChannel(boolean publishOnSpecificResponseChannel) {
      this.publishOnSpecificResponseChannel = publishOnSpecificResponseChannel;
    }

    public SubscriptionMode getSubscriptionMode() {
      return subscriptionMode;
    }

    public void setSubscriptionMode(SubscriptionMode subscriptionMode) {
      this.subscriptionMode = subscriptionMode;
    }

    public Streams getStreams() {
      return streams;
    }
  }

  /** parley.netty.*: the standalone binding, used with parley.port. */
  public static class Netty {
    /** Event loop threads; 0: one per core. */
    private int ioThreads;
    /** On Linux (epoll), every event loop accepts its own connections (SO_REUSEPORT). */
    private boolean acceptOnEveryLoop = true;
    /** Negotiate permessage-deflate with WebSocket clients that offer it. */
    private boolean perMessageDeflate;
    /** gzip/deflate for HTTP responses over 1 kB when the client accepts it. */
    private boolean httpCompression = true;
    /** Reverse proxies (IP addresses, CIDR ranges) whose X-Forwarded-For is believed; none by default. */
    private List<String> trustedProxies = new ArrayList<>();
    /** HTTPS/WSS: a PEM certificate chain, leaf first (with private-key); unset: plain HTTP. */
    private String certificateChain;
    /** HTTPS/WSS: the unencrypted PEM PKCS#8 private key of certificate-chain. */
    private String privateKey;

    public int getIoThreads() {
      return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
      this.ioThreads = ioThreads;
    }

    public boolean isAcceptOnEveryLoop() {
      return acceptOnEveryLoop;
    }

    public void setAcceptOnEveryLoop(boolean acceptOnEveryLoop) {
      this.acceptOnEveryLoop = acceptOnEveryLoop;
    }

    public boolean isPerMessageDeflate() {
      return perMessageDeflate;
    }

    public void setPerMessageDeflate(boolean perMessageDeflate) {
      this.perMessageDeflate = perMessageDeflate;
    }

    public boolean isHttpCompression() {
      return httpCompression;
    }

    public void setHttpCompression(boolean httpCompression) {
      this.httpCompression = httpCompression;
    }

    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    public String getCertificateChain() {
      return certificateChain;
    }

    public void setCertificateChain(String certificateChain) {
      this.certificateChain = certificateChain;
    }

    public String getPrivateKey() {
      return privateKey;
    }

    public void setPrivateKey(String privateKey) {
      this.privateKey = privateKey;
    }
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Duration getPingInterval() {
    return pingInterval;
  }

  public void setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
  }

  public Duration getPingTimeout() {
    return pingTimeout;
  }

  public void setPingTimeout(Duration pingTimeout) {
    this.pingTimeout = pingTimeout;
  }

  public Duration getUpgradeTimeout() {
    return upgradeTimeout;
  }

  public void setUpgradeTimeout(Duration upgradeTimeout) {
    this.upgradeTimeout = upgradeTimeout;
  }

  public DataSize getMaxHttpBufferSize() {
    return maxHttpBufferSize;
  }

  public void setMaxHttpBufferSize(DataSize maxHttpBufferSize) {
    this.maxHttpBufferSize = maxHttpBufferSize;
  }

  public List<String> getTransports() {
    return transports;
  }

  public void setTransports(List<String> transports) {
    this.transports = transports;
  }

  public boolean isAllowUpgrades() {
    return allowUpgrades;
  }

  public void setAllowUpgrades(boolean allowUpgrades) {
    this.allowUpgrades = allowUpgrades;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public boolean isCleanupEmptyChildNamespaces() {
    return cleanupEmptyChildNamespaces;
  }

  public void setCleanupEmptyChildNamespaces(boolean cleanupEmptyChildNamespaces) {
    this.cleanupEmptyChildNamespaces = cleanupEmptyChildNamespaces;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Cors getCors() {
    return cors;
  }

  public Limits getLimits() {
    return limits;
  }

  public Recovery getRecovery() {
    return recovery;
  }

  public Redis getRedis() {
    return redis;
  }

  public Netty getNetty() {
    return netty;
  }
}
