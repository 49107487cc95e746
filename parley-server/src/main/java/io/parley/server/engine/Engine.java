package io.parley.server.engine;

import io.parley.server.internal.SharedStrings;
import io.parley.server.internal.TokenBucket;
import io.parley.server.ServerMetrics;
import io.parley.server.http.HttpRequest;
import io.parley.server.http.HttpResponse;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One Engine.IO endpoint (a path), independent of any server: handshakes, long-polling requests
 * and WebSocket upgrades, the sessions they open and the errors the reference answers with. A
 * binding (Netty, Servlet) turns each HTTP request under {@link EngineOptions#path()} into one call
 * of {@link #handle}; the sessions then run on the executor of the connection that opened them.
 * Thread-safe. A binding makes one per endpoint:
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer(serverOptions);
 * Engine socketIo = new Engine(EngineOptions.DEFAULT, io, io::metrics);
 * // for each HTTP request on the connection's thread:
 * if (socketIo.matches(request.path())) {
 *   socketIo.handle(request, exchange);
 * }
 * }</pre>
 */
public final class Engine {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EngineOptions options;
  private final EngineHandler handler;
  /** The server's current metrics sink (instrumentation may add one after the server is built). */
  private final Supplier<ServerMetrics> metrics;
  private final Cors cors;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  private final Map<InetAddress, TokenBucket> handshakeBuckets = new ConcurrentHashMap<>();

  /**
   * An endpoint.
   *
   * @param options its options (path, heartbeat, limits, CORS)
   * @param handler takes each new connection (the {@code SocketIoServer}, usually)
   * @param metrics the current metrics sink, asked on each report (so that sinks added to the server
   *     later are seen)
   */
  public Engine(EngineOptions options, EngineHandler handler, Supplier<ServerMetrics> metrics) {
    this.options = options;
    this.handler = handler;
    this.metrics = metrics;
    this.cors = new Cors(options.cors());
  }

  /** The options of this endpoint. */
  public EngineOptions options() {
    return options;
  }

  ServerMetrics metrics() {
    return metrics.get();
  }

  Cors cors() {
    return cors;
  }

  /** Number of open Engine.IO sessions of this endpoint. */
  public int sessionCount() {
    return sessions.size();
  }

  void remove(EngineSession s) {
    sessions.remove(s.sid, s);
  }

  /**
   * Whether {@code path} (raw, without query) is this endpoint's: under {@link EngineOptions#path()},
   * or that path without its trailing slash.
   *
   * @param path the request path
   * @return true when {@link #handle} should get the request
   */
  public boolean matches(String path) {
    String p = options.path();
    return path.startsWith(p) || path.regionMatches(0, p, 0, p.length() - 1) && path.length() == p.length() - 1;
  }

  void error(HttpExchange ex, String origin, EngineError e) {
    HttpResponse r = errorResponse(e.status, e.code, e.message);
    cors.apply(origin, r);
    ex.respond(r);
  }

  /**
   * Handles a request to this endpoint, on the thread of the connection it arrived on. Every
   * request is answered, now or (a long-polling GET) when there is something to send; errors get the
   * reference's {@code {"code":N,"message":"..."}} bodies.
   *
   * @param req the request
   * @param ex how to answer it, or upgrade it to a WebSocket
   */
  public void handle(HttpRequest req, HttpExchange ex) {
    String origin = req.header("Origin");
    String method = req.method();
    if (method.equals("OPTIONS")) {
      HttpResponse r = HttpResponse.empty(204);
      cors.applyPreflight(origin, req.header("Access-Control-Request-Headers"), r);
      ex.respond(r);
      return;
    }
    String eio = req.query("EIO");
    String transport = req.query("transport");
    String sid = req.query("sid");
    if (!"4".equals(eio)) {
      error(ex, origin, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    if (transport == null || !options.transports().contains(transport)) {
      error(ex, origin, EngineError.UNKNOWN_TRANSPORT);
      return;
    }
    boolean upgradeRequest = "websocket".equalsIgnoreCase(req.header("Upgrade"));
    if ("websocket".equals(transport) != upgradeRequest) {
      error(ex, origin, EngineError.BAD_REQUEST);
      return;
    }
    if (sid == null) {
      handshake(req, ex, origin, upgradeRequest);
      return;
    }
    EngineSession session = sessions.get(sid);
    if (session == null) {
      error(ex, origin, EngineError.UNKNOWN_SID);
      return;
    }
    if (upgradeRequest) {
      upgrade(ex, session, origin);
    } else if (method.equals("GET")) {
      EngineSession.PendingGet get = new EngineSession.PendingGet(ex, origin);
      session.execute(() -> session.onPollGet(get));
    } else if (method.equals("POST")) {
      String type = req.header("Content-Type");
      if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
        error(ex, origin, EngineError.BAD_REQUEST);
        return;
      }
      byte[] bytes = req.body();
      if (bytes.length > options.maxHttpBufferSize()) {
        HttpResponse r = HttpResponse.empty(413);
        cors.apply(origin, r);
        ex.respond(r);
        return;
      }
      String body = new String(bytes, StandardCharsets.UTF_8);
      session.execute(() -> session.onPollPost(ex, origin, body));
    } else {
      error(ex, origin, EngineError.BAD_REQUEST);
    }
  }

  private void handshake(HttpRequest req, HttpExchange ex, String origin, boolean websocket) {
    if (!websocket && !req.method().equals("GET")) {
      error(ex, origin, EngineError.BAD_HANDSHAKE_METHOD);
      return;
    }
    if (!handshakeAllowed(req.clientAddress())) {
      HttpResponse r = errorResponse(429, EngineError.FORBIDDEN.code, "Too many handshakes from this address");
      r.header("Retry-After", "1");
      cors.apply(origin, r);
      ex.respond(r);
      return;
    }
    RequestInfo info = requestInfo(req);
    String refusal;
    try {
      refusal = options.allowRequest().check(info);
    } catch (RuntimeException e) {
      refusal = e.getMessage() == null ? "Forbidden" : e.getMessage();
    }
    if (refusal != null) {
      HttpResponse r = errorResponse(403, EngineError.FORBIDDEN.code, refusal);
      cors.apply(origin, r);
      ex.respond(r);
      return;
    }
    String sid = newSid();
    EngineSession session = new EngineSession(sid, ex.executor(), this, info);
    if (websocket) {
      ex.upgrade(options.maxHttpBufferSize(), openPacket(sid, false), sink -> {
        sessions.put(sid, session);
        WebSocketHandler h = session.attachWebSocket(sink);
        session.start(handler.onConnection(session));
        return h;
      });
      return;
    }
    sessions.put(sid, session);
    HttpResponse r = HttpResponse.text(200, openPacket(sid, options.allowUpgrades()
        && options.transports().contains("websocket")));
    r.header("Cache-Control", "no-store");
    cors.apply(origin, r);
    ex.respond(r);
    session.start(handler.onConnection(session));
  }

  private void upgrade(HttpExchange ex, EngineSession session, String origin) {
    if (!options.allowUpgrades()) {
      error(ex, origin, EngineError.BAD_REQUEST);
      return;
    }
    ex.upgrade(options.maxHttpBufferSize(), null, session::probe);
  }

  private String openPacket(String sid, boolean upgrades) {
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgrades ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + options.pingInterval().toMillis()
        + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
        + ",\"maxPayload\":" + options.maxHttpBufferSize() + "}";
  }

  /** Per-address handshake rate ({@code handshakesPerSecondPerIp}) of the client address; loopback is exempt. */
  private boolean handshakeAllowed(InetAddress client) {
    double rate = options.handshakesPerSecondPerIp();
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

  static RequestInfo requestInfo(HttpRequest req) {
    // What a handshake keeps lives as long as the connection: strings that every client sends alike
    // are shared, values unique to a client (keys, cookies, tokens, cache busters) are not.
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> e : req.headers()) {
      String name = SharedStrings.share(e.getKey().toLowerCase(Locale.ROOT));
      String value = UNIQUE_HEADERS.contains(name) ? e.getValue() : SharedStrings.share(e.getValue());
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    Map<String, String> query = new HashMap<>();
    req.queryParameters().forEach((k, v) -> {
      if (!v.isEmpty()) {
        String key = SharedStrings.share(k);
        query.put(key, UNIQUE_PARAMETERS.contains(key) ? v.get(0) : SharedStrings.share(v.get(0)));
      }
    });
    return new RequestInfo(headers, query, SharedStrings.share(req.remoteAddress()), req.secure(),
        SharedStrings.share(req.uri()));
  }

  /** The reference's error body: {@code {"code":N,"message":"..."}}. */
  static HttpResponse errorResponse(int status, int code, String message) {
    return HttpResponse.json(status, "{\"code\":" + code + ",\"message\":" + jsonString(message) + "}");
  }

  /** {@code s} as a JSON string literal, control characters included (the message may come from user code). */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
