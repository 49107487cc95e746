package io.parley.adminui;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.BroadcastOperator;
import io.parley.server.ConnectError;
import io.parley.server.Handshake;
import io.parley.server.DisconnectReason;
import io.parley.server.Namespace;
import io.parley.server.RemoteSocket;
import io.parley.server.ServerObserver;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the {@code @socket.io/admin-ui} protocol, so that its web UI can watch and
 * manage a Parley server as it does a Node one instrumented with {@code instrument(io, {...})}.
 *
 * <pre>{@code
 * AdminUi admin = AdminUi.instrument(io, AdminUiOptions.builder()
 *     .auth(AdminAuth.basic("admin", "$2b$10$..."))   // or AdminAuth.none(), explicitly
 *     .build());
 * }</pre>
 *
 * <p>On the admin namespace ({@code /admin} by default) the UI authenticates with {@code auth:
 * {username, password}} (or {@code {sessionId}} from an earlier {@code session} event); wrong
 * credentials get CONNECT_ERROR {@code invalid credentials}. An admitted socket gets
 * {@code session} (when authentication is on), {@code config {supportedFeatures}} and, in
 * development mode, {@code all_sockets}. Every admin socket then gets {@code server_stats} every
 * {@code statsInterval} and, in development mode, {@code socket_connected}, {@code socket_updated}
 * (transport upgrades), {@code socket_disconnected}, {@code room_joined}, {@code room_left},
 * {@code event_received} and {@code event_sent} for every socket of every namespace. Unless
 * read-only, the UI's commands {@code _disconnect}, {@code join}, {@code leave} and {@code emit}
 * act on the sockets of a namespace, or of one room of it (a socket id is a room), through the
 * adapter, so cluster-wide with a cluster adapter. A command sent with an ack (the UI sends none)
 * is answered {@code {ok: true}} or {@code {ok: false, error}}.
 *
 * <p>In a cluster, instrument every node with its own {@code serverId}: emits to the admin
 * namespace go through the adapter, so each UI sees every node's statistics and events, and
 * {@code all_sockets} comes from {@code fetchSockets}.
 */
public final class AdminUi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter JS_ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** Most sessions kept at once; beyond, a login still works but gets no session id. */
  static final int MAX_SESSIONS = 10_000;
  /** The key of {@link Socket#data()} holding {@code {clientId, transport}}, as the reference. */
  static final String DATA_KEY = "_admin";

  /** The feature flags of the {@code config} event. */
  public static final String EMIT = "EMIT", JOIN = "JOIN", LEAVE = "LEAVE", DISCONNECT = "DISCONNECT",
      MJOIN = "MJOIN", MLEAVE = "MLEAVE", MDISCONNECT = "MDISCONNECT",
      AGGREGATED_EVENTS = "AGGREGATED_EVENTS", ALL_EVENTS = "ALL_EVENTS";

  private final SocketIoServer io;
  private final AdminUiOptions options;
  private final Namespace admin;
  private final List<String> features;
  private final boolean development;
  private final EventCounts counts = new EventCounts();
  private final Map<String, Long> sessions = new ConcurrentHashMap<>();
  /** Session ids granted by the middleware, sent once the socket is connected. */
  private final Map<Socket, String> granted = Collections.synchronizedMap(new WeakHashMap<>());
  private final ScheduledExecutorService timer;
  private final Observer observer = new Observer();
  private final String serverId;
  private final String hostname;
  private volatile boolean closed;

  private AdminUi(SocketIoServer io, AdminUiOptions options) {
    this.io = io;
    this.options = options;
    this.admin = io.of(options.namespace());
    this.development = options.mode() == AdminUiOptions.Mode.DEVELOPMENT;
    List<String> f = new ArrayList<>();
    if (!options.readonly()) {
      f.addAll(List.of(EMIT, JOIN, LEAVE, DISCONNECT, MJOIN, MLEAVE, MDISCONNECT));
    }
    f.add(AGGREGATED_EVENTS);
    if (development) {
      f.add(ALL_EVENTS);
    }
    this.features = List.copyOf(f);
    this.hostname = hostname();
    this.serverId = options.serverId() != null ? options.serverId() : hostname;
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("parley-admin-ui-stats").daemon().factory());
  }

  /**
   * Instruments {@code io}, as the reference's {@code instrument(io, {...})}: creates the admin
   * namespace (with the authentication middleware unless {@link AdminAuth#none()}), adds a metrics
   * sink and, in development mode, an observer of every socket (sockets already connected included),
   * and starts the {@code server_stats} timer on a thread of its own. Call it once per server,
   * before or after the server starts; thread-safe.
   *
   * @param io the server to watch and manage
   * @param options namespace, authentication, mode, ...
   * @return the instrumentation, to {@link #close} when done
   */
  public static AdminUi instrument(SocketIoServer io, AdminUiOptions options) {
    AdminUi ui = new AdminUi(io, options);
    ui.start();
    return ui;
  }

  /** The admin namespace ({@code /admin} by default), where the UI connects. */
  public Namespace namespace() {
    return admin;
  }

  /**
   * The {@code supportedFeatures} sent in {@code config}: the command flags unless read-only, then
   * {@link #AGGREGATED_EVENTS} and, in development mode, {@link #ALL_EVENTS}.
   */
  public List<String> supportedFeatures() {
    return features;
  }

  private void start() {
    if (!(options.auth() instanceof AdminAuth.None)) {
      admin.use(this::authenticate);
    } else {
      log.warn("admin UI on {}: authentication is disabled", admin.name());
    }
    admin.onConnection(this::onAdminConnection);
    io.addMetrics(counts);
    if (development) {
      io.addObserver(observer);
      for (Namespace n : io.namespaces()) {
        for (Socket s : n.sockets().values()) {
          attach(s); // connected before instrument(): track their events from now on
        }
      }
    }
    long every = options.statsInterval().toMillis();
    timer.scheduleAtFixedRate(this::emitStats, 0, every, TimeUnit.MILLISECONDS);
  }

  // ---- authentication ----

  private void authenticate(Socket socket) throws ConnectError {
    JsonNode auth = socket.handshake().auth();
    String sessionId = text(auth, "sessionId");
    if (sessionId != null && sessionValid(sessionId)) {
      return;
    }
    boolean ok;
    try {
      ok = options.auth().check(socket.handshake(), text(auth, "username"), text(auth, "password"));
    } catch (Exception e) {
      log.warn("admin UI authentication failed with an error", e);
      ok = false;
    }
    if (!ok) {
      throw new ConnectError("invalid credentials");
    }
    String id = newSession();
    if (id != null) {
      granted.put(socket, id);
    }
  }

  private boolean sessionValid(String id) {
    Long expires = sessions.get(id);
    if (expires == null) {
      return false;
    }
    if (expires < System.currentTimeMillis()) {
      sessions.remove(id, expires);
      return false;
    }
    return true;
  }

  private String newSession() {
    long now = System.currentTimeMillis();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(expires -> expires < now);
      if (sessions.size() >= MAX_SESSIONS) {
        return null;
      }
    }
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    sessions.put(id, now + options.sessionDuration().toMillis());
    return id;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o == null ? null : o.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  // ---- the admin sockets ----

  private void onAdminConnection(Socket socket) {
    registerCommands(socket);
    String session = granted.remove(socket);
    if (session != null) {
      socket.emit("session", session);
    }
    socket.emit("config", Map.of("supportedFeatures", features));
    if (development) {
      allSockets().thenAccept(all -> socket.emit("all_sockets", all));
    }
  }

  /** Every socket of every namespace, cluster-wide with a cluster adapter (this node's alone when the others do not answer). */
  CompletableFuture<List<Map<String, Object>>> allSockets() {
    List<CompletableFuture<List<Map<String, Object>>>> parts = new ArrayList<>();
    for (Namespace n : io.namespaces()) {
      parts.add(n.fetchSockets()
          .exceptionallyCompose(e -> {
            log.debug("fetchSockets on {} failed ({}); this node's sockets only", n.name(), e.toString());
            return n.local().fetchSockets();
          })
          .thenApply(list -> list.stream().map(s -> serialize(s, n.name())).toList()));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Map<String, Object>> all = new ArrayList<>();
      parts.forEach(p -> all.addAll(p.join()));
      return all;
    });
  }

  private interface Command {
    void run(Namespace nsp, Args args) throws Exception;
  }

  private void registerCommands(Socket socket) {
    command(socket, "emit", EMIT, (nsp, args) -> {
      String filter = optionalText(args, 1);
      String event = requiredText(args, 2, "event");
      Object[] rest = Arrays.copyOfRange(args.toArray(), Math.min(3, args.size()), args.size());
      target(nsp, filter).emit(event, rest);
    });
    command(socket, "join", JOIN, (nsp, args) -> target(nsp, optionalText(args, 2)).socketsJoin(requiredText(args, 1, "room")));
    command(socket, "leave", LEAVE, (nsp, args) -> target(nsp, optionalText(args, 2)).socketsLeave(requiredText(args, 1, "room")));
    command(socket, "_disconnect", DISCONNECT, (nsp, args) -> {
      JsonNode close = args.get(1);
      target(nsp, optionalText(args, 2)).disconnectSockets(close != null && close.asBoolean(false));
    });
  }

  private void command(Socket socket, String event, String feature, Command command) {
    socket.on(event, (args, ack) -> {
      if (!features.contains(feature)) {
        log.debug("admin UI is read-only: {} refused", event);
        reply(ack, "read-only");
        return;
      }
      String name = optionalText(args, 0);
      Namespace nsp = name == null ? null : find(name);
      if (nsp == null) {
        reply(ack, "unknown namespace");
        return;
      }
      try {
        command.run(nsp, args);
      } catch (RuntimeException e) { // bad arguments, a reserved event name, a room limit reached
        log.debug("admin UI command {} failed: {}", event, e.toString());
        reply(ack, String.valueOf(e.getMessage()));
        return;
      }
      if (ack.requested()) {
        ack.send(Map.of("ok", true));
      }
    });
  }

  private static void reply(Ack ack, String error) {
    if (ack.requested()) {
      ack.send(Map.of("ok", false, "error", error));
    }
  }

  /** An existing namespace (commands never create one). */
  private Namespace find(String name) {
    for (Namespace n : io.namespaces()) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  private static BroadcastOperator target(Namespace nsp, String filter) {
    return filter == null ? nsp.broadcast() : nsp.in(filter);
  }

  private static String optionalText(Args args, int i) {
    JsonNode v = args.get(i);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("argument " + i + " must be a string");
    }
    return v.textValue().isEmpty() ? null : v.textValue();
  }

  private static String requiredText(Args args, int i, String what) {
    String v = optionalText(args, i);
    if (v == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    return v;
  }

  // ---- statistics ----

  private void emitStats() {
    if (closed) {
      return;
    }
    try {
      List<Map<String, Object>> namespaces = new ArrayList<>();
      for (Namespace n : io.namespaces()) {
        namespaces.add(Map.of("name", n.name(), "socketsCount", n.sockets().size()));
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("serverId", serverId);
      stats.put("hostname", hostname);
      stats.put("pid", ProcessHandle.current().pid());
      stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
      stats.put("clientsCount", io.connectionCount());
      stats.put("pollingClientsCount", io.pollingConnectionCount());
      stats.put("aggregatedEvents", counts.drain());
      stats.put("namespaces", namespaces);
      admin.emit("server_stats", stats);
    } catch (RuntimeException e) {
      log.warn("admin UI: server_stats failed", e);
    }
  }

  // ---- development mode: every socket, room and event ----

  private static String now() {
    return JS_ISO.format(Instant.now());
  }

  /** Records the client id and transport in the socket's data and, outside the admin namespace, watches its events. */
  private void attach(Socket socket) {
    Map<String, Object> meta = new ConcurrentHashMap<>();
    String clientId = socket.connectionId();
    meta.put("clientId", clientId.substring(0, Math.min(12, clientId.length())));
    meta.put("transport", socket.transport());
    socket.data().put(DATA_KEY, meta);
    if (socket.nsp() != admin) {
      String nsp = socket.nsp().name();
      socket.onAny((event, args) -> emitEvent("event_received", nsp, socket.id(), event, args));
      socket.onAnyOutgoing((event, args) -> emitEvent("event_sent", nsp, socket.id(), event, args));
    }
  }

  private void emitEvent(String type, String nsp, String id, String event, Object[] args) {
    if (closed) {
      return;
    }
    Object[] withName = new Object[args.length + 1];
    withName[0] = event;
    System.arraycopy(args, 0, withName, 1, args.length);
    admin.emit(type, nsp, id, withName, now());
  }

  private final class Observer implements ServerObserver {
    @Override
    public void socketConnected(Socket socket) {
      if (closed) {
        return;
      }
      attach(socket);
      admin.emit("socket_connected", serialize(RemoteSocketView.of(socket), socket.nsp().name()), now());
    }

    @Override
    public void socketDisconnected(Socket socket, DisconnectReason reason) {
      if (!closed) {
        admin.emit("socket_disconnected", socket.nsp().name(), socket.id(), reason.text(), now());
      }
    }

    @Override
    public void roomJoined(Namespace nsp, String room, String socketId) {
      if (!closed) {
        admin.emit("room_joined", nsp.name(), room, socketId, now());
      }
    }

    @Override
    public void roomLeft(Namespace nsp, String room, String socketId) {
      if (!closed) {
        admin.emit("room_left", nsp.name(), room, socketId, now());
      }
    }

    @Override
    public void transportChanged(Socket socket, String transport) {
      if (closed) {
        return;
      }
      if (socket.data().get(DATA_KEY) instanceof Map<?, ?> meta) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) meta;
        m.put("transport", transport);
      }
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("id", socket.id());
      update.put("nsp", socket.nsp().name());
      update.put("transport", transport);
      admin.emit("socket_updated", update);
    }
  }

  /** What serialising needs of a socket, local or fetched from another node. */
  record RemoteSocketView(String id, Handshake handshake, java.util.Set<String> rooms, Map<String, Object> data) {
    static RemoteSocketView of(Socket s) {
      return new RemoteSocketView(s.id(), s.handshake(), s.rooms(), s.data());
    }

    static RemoteSocketView of(RemoteSocket s) {
      return new RemoteSocketView(s.id(), s.handshake(), s.rooms(), s.data());
    }
  }

  private static Map<String, Object> serialize(RemoteSocket s, String nsp) {
    return serialize(RemoteSocketView.of(s), nsp);
  }

  /** The UI's socket: {@code {id, clientId, transport, nsp, data, handshake, rooms}}. */
  static Map<String, Object> serialize(RemoteSocketView s, String nsp) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    Object meta = s.data() == null ? null : s.data().get(DATA_KEY);
    out.put("clientId", field(meta, "clientId"));
    out.put("transport", field(meta, "transport"));
    out.put("nsp", nsp);
    Map<String, Object> data = new LinkedHashMap<>();
    if (s.data() != null) {
      s.data().forEach((k, v) -> {
        if (!DATA_KEY.equals(k)) {
          data.put(k, v);
        }
      });
    }
    out.put("data", data);
    Handshake h = s.handshake();
    if (h != null) {
      Map<String, Object> hs = new LinkedHashMap<>();
      String address = h.headers().get("cf-connecting-ip");
      if (address == null) {
        address = h.headers().get("x-forwarded-for");
      }
      hs.put("address", address != null ? address : h.address());
      hs.put("headers", h.headers());
      hs.put("query", h.query());
      hs.put("issued", h.issued());
      hs.put("secure", h.secure());
      hs.put("time", h.time());
      hs.put("url", h.url());
      hs.put("xdomain", h.xdomain());
      out.put("handshake", hs);
    } else {
      out.put("handshake", Map.of());
    }
    out.put("rooms", List.copyOf(s.rooms()));
    return out;
  }

  private static Object field(Object meta, String name) {
    if (meta instanceof Map<?, ?> m) {
      Object v = m.get(name);
      return v instanceof JsonNode j ? j.asText() : v;
    }
    if (meta instanceof JsonNode j && j.hasNonNull(name)) {
      return j.get(name).asText();
    }
    return null;
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return env != null ? env : "localhost";
    }
  }

  /**
   * Stops the statistics and the event reporting, and disconnects this node's admin sockets. The
   * admin namespace stays; its middleware and listeners too (a UI connecting again gets
   * {@code config}, then nothing more).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    counts.stop();
    io.removeObserver(observer);
    admin.local().disconnectSockets(false);
  }
}
