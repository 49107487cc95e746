package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.parley.server.ServerMetrics;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.RequestInfo;
import io.parley.server.engine.SharedStrings;
import io.parley.server.engine.TokenBucket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One Engine.IO endpoint (a path): handshakes, polling requests and WebSocket upgrades. */
final class EngineEndpoint {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EngineOptions options;
  /** One frame decoder configuration shared by every WebSocket of this endpoint. */
  private final WebSocketDecoderConfig decoderConfig;
  private final EngineHandler handler;
  /** The server's current metrics sink (instrumentation may add one after the server is built). */
  private final java.util.function.Supplier<ServerMetrics> metrics;
  private final Cors cors;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  private final Map<InetAddress, TokenBucket> handshakeBuckets = new ConcurrentHashMap<>();

  EngineEndpoint(EngineOptions options, EngineHandler handler, java.util.function.Supplier<ServerMetrics> metrics) {
    this.options = options;
    this.decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(options.maxHttpBufferSize())
        .allowExtensions(true)
        .closeOnProtocolViolation(false) // WebSocketFrameHandler closes, with the closing handshake
        .build();
    this.handler = handler;
    this.metrics = metrics;
    this.cors = new Cors(options.cors());
  }

  EngineOptions options() {
    return options;
  }

  ServerMetrics metrics() {
    return metrics.get();
  }

  Cors cors() {
    return cors;
  }

  int sessionCount() {
    return sessions.size();
  }

  void remove(EngineSession s) {
    sessions.remove(s.sid, s);
  }

  boolean matches(String path) {
    return path.startsWith(options.path()) || path.equals(options.path().substring(0, options.path().length() - 1));
  }

  void error(ChannelHandlerContext ctx, boolean keepAlive, String origin, EngineError e) {
    FullHttpResponse r = HttpResponses.engineError(e.status, e.code, e.message);
    cors.apply(origin, r.headers());
    HttpResponses.write(ctx, keepAlive, r);
  }

  /** Handles a request for this endpoint; runs on the channel's event loop, owns {@code req}. */
  void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    if (req.method() == HttpMethod.OPTIONS) {
      FullHttpResponse r = HttpResponses.response(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
      cors.applyPreflight(origin, req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS), r.headers());
      HttpResponses.write(ctx, keepAlive, r);
      return;
    }
    String eio = param(qs, "EIO");
    String transport = param(qs, "transport");
    String sid = param(qs, "sid");
    if (!"4".equals(eio)) {
      error(ctx, keepAlive, origin, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    if (transport == null || !options.transports().contains(transport)) {
      error(ctx, keepAlive, origin, EngineError.UNKNOWN_TRANSPORT);
      return;
    }
    boolean upgradeRequest = "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
    if ("websocket".equals(transport) != upgradeRequest) {
      error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
      return;
    }
    if (sid == null) {
      handshake(ctx, req, qs, keepAlive, origin, upgradeRequest);
      return;
    }
    EngineSession session = sessions.get(sid);
    if (session == null) {
      error(ctx, keepAlive, origin, EngineError.UNKNOWN_SID);
      return;
    }
    if (upgradeRequest) {
      upgrade(ctx, req, session, keepAlive, origin);
    } else if (req.method() == HttpMethod.GET) {
      EngineSession.PendingGet get = new EngineSession.PendingGet(ctx, keepAlive, origin);
      session.execute(() -> session.onPollGet(get));
    } else if (req.method() == HttpMethod.POST) {
      String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
      if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
        error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
        return;
      }
      if (req.content().readableBytes() > options.maxHttpBufferSize()) {
        // The aggregator only enforces the largest limit of all endpoints; this one may be smaller.
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, null, new byte[0]);
        cors.apply(origin, r.headers());
        HttpResponses.write(ctx, keepAlive, r);
        return;
      }
      String body = req.content().toString(StandardCharsets.UTF_8);
      session.execute(() -> session.onPollPost(ctx, keepAlive, origin, body));
    } else {
      error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
    }
  }

  private static String param(QueryStringDecoder qs, String name) {
    List<String> v = qs.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private void handshake(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, boolean keepAlive,
      String origin, boolean websocket) {
    if (!websocket && req.method() != HttpMethod.GET) {
      error(ctx, keepAlive, origin, EngineError.BAD_HANDSHAKE_METHOD);
      return;
    }
    if (!handshakeAllowed(ctx)) {
      FullHttpResponse r = HttpResponses.engineError(HttpResponseStatus.TOO_MANY_REQUESTS, EngineError.FORBIDDEN.code,
          "Too many handshakes from this address");
      r.headers().set("Retry-After", "1");
      cors.apply(origin, r.headers());
      HttpResponses.write(ctx, keepAlive, r);
      return;
    }
    RequestInfo info = requestInfo(ctx, req, qs);
    String refusal;
    try {
      refusal = options.allowRequest().check(info);
    } catch (RuntimeException e) {
      refusal = e.getMessage() == null ? "Forbidden" : e.getMessage();
    }
    if (refusal != null) {
      FullHttpResponse r = HttpResponses.engineError(HttpResponseStatus.FORBIDDEN, EngineError.FORBIDDEN.code, refusal);
      cors.apply(origin, r.headers());
      HttpResponses.write(ctx, keepAlive, r);
      return;
    }
    String sid = newSid();
    EngineSession session = new EngineSession(sid, ctx.channel().eventLoop(), this, info);
    if (websocket) {
      upgradeToWebSocket(ctx, req, session, openPacket(sid, false), ch -> {
        sessions.put(sid, session);
        session.attachWebSocket(ch);
        session.start(handler.onConnection(session));
      });
      return;
    }
    sessions.put(sid, session);
    FullHttpResponse r = HttpResponses.text(HttpResponseStatus.OK, openPacket(sid, options.allowUpgrades()
        && options.transports().contains("websocket")));
    r.headers().set("Cache-Control", "no-store");
    cors.apply(origin, r.headers());
    HttpResponses.write(ctx, keepAlive, r);
    session.start(handler.onConnection(session));
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, EngineSession session, boolean keepAlive,
      String origin) {
    if (!options.allowUpgrades()) {
      error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
      return;
    }
    upgradeToWebSocket(ctx, req, session, null, ch -> session.execute(() -> {
      if (!session.startUpgrade(ch)) {
        ch.close();
      }
    }));
  }

  /**
   * Completes the WebSocket handshake on this channel, whose frames then go to {@code session};
   * {@code onOpen} runs once the 101 response is written. {@code firstMessage} (when not null) is
   * queued right behind the response, so both leave in one write.
   */
  private void upgradeToWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, EngineSession session,
      String firstMessage, java.util.function.Consumer<Channel> onOpen) {
    WebSocketServerHandshaker hs = handshaker(req);
    if (hs == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    Channel ch = ctx.channel();
    ctx.pipeline().replace(ctx.handler(), "engine-ws", new WebSocketFrameHandler(session, options.maxHttpBufferSize()));
    // With permessage-deflate, the extension's encoder joins the pipeline only once the 101 is
    // written: the first message must wait for it to be compressed like the others.
    boolean early = firstMessage != null && ctx.pipeline().get(WebSocketServerExtensionHandler.class) == null;
    hs.handshake(ch, req).addListener(f -> {
      if (f.isSuccess()) {
        if (firstMessage != null && !early) {
          ch.writeAndFlush(new TextWebSocketFrame(firstMessage), ch.voidPromise());
        }
        onOpen.accept(ch);
      } else {
        ch.close();
      }
    });
    if (early) {
      // The handshaker has put the frame encoder in place (the HTTP encoder lets frames through):
      // this frame follows the 101 response, flushed with it when the read completes.
      ch.writeAndFlush(new TextWebSocketFrame(firstMessage), ch.voidPromise());
    }
  }

  private WebSocketServerHandshaker handshaker(FullHttpRequest req) {
    String scheme = "ws://";
    String url = scheme + req.headers().get(HttpHeaderNames.HOST) + req.uri();
    return new WebSocketServerHandshakerFactory(url, null, decoderConfig).newHandshaker(req);
  }

  private String openPacket(String sid, boolean upgrades) {
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgrades ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + options.pingInterval().toMillis()
        + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
        + ",\"maxPayload\":" + options.maxHttpBufferSize() + "}";
  }

  /** Per-address handshake rate ({@code handshakesPerSecondPerIp}) of the client address; loopback is exempt. */
  private boolean handshakeAllowed(ChannelHandlerContext ctx) {
    double rate = options.handshakesPerSecondPerIp();
    InetAddress client = ClientAddress.of(ctx);
    if (rate <= 0 || client == null || (client.isLoopbackAddress() && !options.limitLoopback())) {
      return true;
    }
    if (handshakeBuckets.size() > 10_000) {
      handshakeBuckets.values().removeIf(TokenBucket::idle);
    }
    return handshakeBuckets.computeIfAbsent(client, a -> new TokenBucket(rate, 2 * rate)).tryTake();
  }

  private static String newSid() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static final Set<String> UNIQUE_HEADERS = Set.of("sec-websocket-key", "cookie", "authorization");
  private static final Set<String> UNIQUE_PARAMETERS = Set.of("t", "sid", "token");

  static RequestInfo requestInfo(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs) {
    // What a handshake keeps lives as long as the connection: strings that every client sends alike
    // are shared, values unique to a client (keys, cookies, tokens, cache busters) are not.
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> e : req.headers()) {
      String name = SharedStrings.share(e.getKey().toLowerCase(Locale.ROOT));
      String value = UNIQUE_HEADERS.contains(name) ? e.getValue() : SharedStrings.share(e.getValue());
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    Map<String, String> query = new HashMap<>();
    qs.parameters().forEach((k, v) -> {
      if (!v.isEmpty()) {
        String key = SharedStrings.share(k);
        query.put(key, UNIQUE_PARAMETERS.contains(key) ? v.get(0) : SharedStrings.share(v.get(0)));
      }
    });
    String address = ClientAddress.text(ctx);
    boolean secure = ctx.pipeline().get(SslHandler.class) != null;
    return new RequestInfo(headers, query, SharedStrings.share(address), secure, SharedStrings.share(req.uri()));
  }
}
