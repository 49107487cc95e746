package io.parley.netty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.server.engine.EngineOptions;
import io.parley.netty.testkit.TestClient;
import io.parley.netty.testkit.TestServer;
import io.parley.netty.testkit.TestServers;
import io.parley.server.ServerOptions;
import io.parley.server.SocketIoServer;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.awaitility.Awaitility;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fixtures for tests with the official Java client ({@code io.socket:socket.io-client}) against a
 * real server on an ephemeral port: {@code ParleyServer} by default, or whatever the
 * {@link TestServers} named by the configuration parameter {@value TestServers#PARAMETER} starts
 * (parley-servlet runs these tests in containers that way). Register it as an instance extension
 * ({@code @RegisterExtension final ClientKit kit = new ClientKit();}): every server and client it
 * made is closed after each test.
 *
 * <p>The client runs every callback on its single {@code EventThread}: callbacks here only hand
 * values over to futures and queues, the test thread does the waiting.
 */
final class ClientKit implements BeforeEachCallback, AfterEachCallback {
  /** How long any single expected thing may take to happen. */
  static final Duration WAIT = Duration.ofSeconds(5);

  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One OkHttp client for every test client, with a dispatcher that allows many concurrent calls
   * per host: each polling client keeps a GET parked, and OkHttp's default of 5 calls per host
   * would stall tests that open several polling clients to 127.0.0.1.
   */
  private static final OkHttpClient HTTP;

  static {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(512);
    HTTP = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(1, TimeUnit.MINUTES).build();
  }

  /** Client transport presets: which transports the client may use and whether it upgrades. */
  enum Transport {
    WEBSOCKET(false, "websocket"),
    POLLING(false, "polling"),
    POLLING_WITH_UPGRADE(true, "polling", "websocket");

    private final boolean upgrade;
    private final String[] transports;

    Transport(boolean upgrade, String... transports) {
      this.upgrade = upgrade;
      this.transports = transports;
    }

    void applyTo(IO.Options o) {
      o.transports = transports.clone();
      o.upgrade = upgrade;
    }

    /** The transport the server sees first. */
    String initial() {
      return transports[0];
    }

    /** The transport the server sees once the connection settled. */
    String settled() {
      return transports[transports.length - 1];
    }
  }

  private TestServers binding = TestServers.NETTY;
  private final List<TestServer> servers = new CopyOnWriteArrayList<>();
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final List<TestClient.Ws> raws = new CopyOnWriteArrayList<>();

  // ---- servers ----

  TestServer server(Consumer<SocketIoServer> setup) {
    return server(ServerOptions.DEFAULT, EngineOptions.DEFAULT, setup);
  }

  /** A server on the binding under test; {@code setup} gets its Socket.IO server before it takes connections. */
  TestServer server(ServerOptions serverOptions, EngineOptions engineOptions, Consumer<SocketIoServer> setup) {
    TestServer s = binding.start(serverOptions, engineOptions, setup);
    servers.add(s);
    return s;
  }

  // ---- clients ----

  static String url(TestServer server, String nsp) {
    return "http://127.0.0.1:" + server.port() + nsp;
  }

  /** A client for {@code nsp}, not connected yet; its own connection, no reconnection. */
  Socket socket(TestServer server, Transport transport, String nsp, Consumer<IO.Options> customize) {
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.reconnection = false;
    o.timeout = WAIT.toMillis();
    o.callFactory = HTTP;
    o.webSocketFactory = HTTP;
    transport.applyTo(o);
    customize.accept(o);
    Socket s = IO.socket(URI.create(url(server, nsp)), o);
    clients.add(s);
    return s;
  }

  Socket socket(TestServer server, Transport transport, String nsp) {
    return socket(server, transport, nsp, o -> { });
  }

  /** Connects a client to {@code /} and waits for its {@code connect} event. */
  Socket connect(TestServer server, Transport transport) {
    return connect(server, transport, "/", o -> { });
  }

  Socket connect(TestServer server, Transport transport, String nsp) {
    return connect(server, transport, nsp, o -> { });
  }

  Socket connect(TestServer server, Transport transport, String nsp, Consumer<IO.Options> customize) {
    return connect(socket(server, transport, nsp, customize));
  }

  /** Connects {@code s} and waits for {@code connect}; fails the test on {@code connect_error}. */
  static Socket connect(Socket s) {
    CompletableFuture<Object[]> connected = once(s, Socket.EVENT_CONNECT);
    CompletableFuture<Object[]> refused = once(s, Socket.EVENT_CONNECT_ERROR);
    s.connect();
    await(CompletableFuture.anyOf(connected, refused));
    if (refused.isDone()) {
      fail("connect_error: " + Arrays.toString(refused.join()));
    }
    assertThat(s.connected()).isTrue();
    return s;
  }

  /** Connects {@code s} expecting a refusal; returns the {@code connect_error} argument. */
  static Object connectError(Socket s) {
    CompletableFuture<Object[]> connected = once(s, Socket.EVENT_CONNECT);
    CompletableFuture<Object[]> refused = once(s, Socket.EVENT_CONNECT_ERROR);
    s.connect();
    await(CompletableFuture.anyOf(connected, refused));
    assertThat(connected).as("connect event").isNotDone();
    return refused.join()[0];
  }

  /** The server-side socket of a connected client. */
  static io.parley.server.Socket serverSocket(TestServer server, String nsp, Socket client) {
    String id = client.id();
    assertThat(id).as("client socket id").isNotNull();
    io.parley.server.Socket s = server.io().of(nsp).sockets().get(id);
    assertThat(s).as("server socket " + id + " in " + nsp).isNotNull();
    return s;
  }

  static io.parley.server.Socket serverSocket(TestServer server, Socket client) {
    return serverSocket(server, "/", client);
  }

  /**
   * Kills the client's Engine.IO connection without a Socket.IO DISCONNECT, as a dropped network
   * would (the engine's own close: a close packet over polling, a WebSocket close frame).
   */
  static void killTransport(Socket client) {
    try {
      Field f = Manager.class.getDeclaredField("engine");
      f.setAccessible(true);
      ((io.socket.engineio.client.Socket) f.get(client.io())).close();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach the client's engine", e);
    }
  }

  /** The name of the client's current Engine.IO transport. */
  static String clientTransport(Socket client) {
    try {
      Field f = Manager.class.getDeclaredField("engine");
      f.setAccessible(true);
      Object engine = f.get(client.io());
      Field t = io.socket.engineio.client.Socket.class.getDeclaredField("transport");
      t.setAccessible(true);
      Object transport = t.get(engine);
      return transport == null ? null : ((io.socket.engineio.client.Transport) transport).name;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach the client's engine", e);
    }
  }

  /**
   * An Engine.IO WebSocket to the Socket.IO endpoint of {@code server}, open packet read (see
   * {@link TestClient.Ws#openPacket()}): the test writes and reads the packets itself. Closed
   * after the test.
   */
  TestClient.Ws rawWebSocket(TestServer server) {
    TestClient.Ws raw = TestClient.to(server).websocket();
    raws.add(raw);
    return raw;
  }

  /** Closes every client, then every server. */
  void closeAll() {
    raws.forEach(TestClient.Ws::close);
    raws.clear();
    for (Socket c : clients) {
      c.off();
      c.disconnect();
      closeManager(c.io());
    }
    clients.clear();
    for (TestServer s : servers) {
      s.close();
    }
    servers.clear();
  }

  private static void closeManager(Manager m) {
    try {
      Method close = Manager.class.getDeclaredMethod("close");
      close.setAccessible(true);
      io.socket.thread.EventThread.exec(() -> {
        try {
          close.invoke(m);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    binding = TestServers.of(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeAll();
  }

  // ---- raw Engine.IO, for what the official client never does: the shared TestClient ----

  /** A plain HTTP GET to the Socket.IO endpoint with this query (polling, by hand). */
  static java.net.http.HttpResponse<String> rawGet(TestServer server, String query) {
    return TestClient.to(server).get("/socket.io/?" + query);
  }

  /** The {@code sid} of an Engine.IO open packet {@code 0{...}}. */
  static String sidOf(String openPacket) {
    assertThat(openPacket).startsWith("0{");
    return json(openPacket.substring(1)).get("sid").asText();
  }

  // ---- callbacks to futures and queues ----

  /** Completes with the arguments of the next {@code event}. */
  static CompletableFuture<Object[]> once(Socket s, String event) {
    CompletableFuture<Object[]> f = new CompletableFuture<>();
    s.once(event, f::complete);
    return f;
  }

  /** Every {@code event} the client receives, in order. */
  static BlockingQueue<Object[]> record(Socket s, String event) {
    BlockingQueue<Object[]> q = new LinkedBlockingQueue<>();
    s.on(event, q::add);
    return q;
  }

  /** Every event the client receives, in order, as {@code [name, ...args]}. */
  static BlockingQueue<Object[]> recordAll(Socket s) {
    BlockingQueue<Object[]> q = new LinkedBlockingQueue<>();
    s.onAnyIncoming(q::add);
    return q;
  }

  /**
   * Names of the events taken from {@code all} (a {@link #recordAll} queue) up to the event named
   * {@code fence}, which is consumed. Emitting a fence after a broadcast proves what a client did
   * not get: packets arrive in order on one connection.
   */
  static List<String> namesUntil(BlockingQueue<Object[]> all, String fence) {
    List<String> names = new ArrayList<>();
    while (true) {
      Object[] e = poll(all);
      if (fence.equals(e[0])) {
        return names;
      }
      names.add((String) e[0]);
    }
  }

  /** A client ack completing {@code f} with the ack arguments. */
  static Ack ack(CompletableFuture<Object[]> f) {
    return f::complete;
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT + ": " + e, e);
    }
  }

  static <T> T poll(BlockingQueue<T> q) {
    try {
      T t = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (t == null) {
        throw new AssertionError("nothing arrived within " + WAIT);
      }
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  // ---- JSON on both sides ----

  /** JSON written with single quotes, for readability: {@code json("{'a':[1,null]}")}. */
  static JsonNode json(String relaxed) {
    try {
      return MAPPER.readTree(relaxed.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(relaxed, e);
    }
  }

  /** A client-side JSON object, from JSON written with single quotes. */
  static JSONObject jsonObject(String relaxed) {
    try {
      return new JSONObject(relaxed.replace('\'', '"'));
    } catch (JSONException e) {
      throw new IllegalArgumentException(relaxed, e);
    }
  }

  static JSONArray jsonArray(String relaxed) {
    try {
      return new JSONArray(relaxed.replace('\'', '"'));
    } catch (JSONException e) {
      throw new IllegalArgumentException(relaxed, e);
    }
  }

  /**
   * A value the client received (org.json objects and arrays, boxed numbers, strings, booleans,
   * {@code null}/{@code JSONObject.NULL}, {@code byte[]}) as Jackson JSON, binary as
   * {@link BinaryNode}, so that it compares with {@link #json(String)} and with what the server got.
   */
  static JsonNode fromClient(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    try {
      if (v == null || v == JSONObject.NULL) {
        return f.nullNode();
      }
      if (v instanceof byte[] b) {
        return f.binaryNode(b);
      }
      if (v instanceof JSONObject o) {
        ObjectNode n = f.objectNode();
        for (Iterator<?> it = o.keys(); it.hasNext(); ) {
          String k = (String) it.next();
          n.set(k, fromClient(o.get(k)));
        }
        return n;
      }
      if (v instanceof JSONArray a) {
        ArrayNode n = f.arrayNode();
        for (int i = 0; i < a.length(); i++) {
          n.add(fromClient(a.get(i)));
        }
        return n;
      }
      if (v instanceof String s) {
        return f.textNode(s);
      }
      if (v instanceof Boolean b) {
        return f.booleanNode(b);
      }
      if (v instanceof Number num) {
        return MAPPER.readTree(num.toString());
      }
    } catch (JSONException | JsonProcessingException e) {
      throw new IllegalArgumentException(String.valueOf(v), e);
    }
    throw new IllegalArgumentException("not a client JSON value: " + v.getClass());
  }

  /** The arguments a client callback got, as Jackson JSON (a trailing ack is left out). */
  static List<JsonNode> fromClient(Object[] args) {
    List<JsonNode> out = new ArrayList<>();
    for (Object a : args) {
      if (!(a instanceof Ack)) {
        out.add(fromClient(a));
      }
    }
    return out;
  }

  static JsonNode binary(int... bytes) {
    return BinaryNode.valueOf(bytes(bytes));
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
