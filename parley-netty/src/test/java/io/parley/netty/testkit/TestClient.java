package io.parley.netty.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.netty.ParleyServer;
import io.parley.protocol.EngineCodec;
import io.parley.protocol.EnginePacket;
import io.parley.protocol.ProtocolException;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The test client of the raw protocols, for what the official clients never do (or do not let a
 * test see): one server address with how to reach it, and from there
 *
 * <ul>
 *   <li>HTTP requests through {@code java.net.http} ({@link #get}, {@link #post}, {@link #send},
 *       {@link #request}), with the Engine.IO polling handshake ({@link #handshake}, {@link #open});
 *   <li>Engine.IO connections of either transport, {@link #websocket()} and {@link #polling()},
 *       which queue what the server sends as Engine.IO packets (text {@code "0{...}"},
 *       {@code "2"}, {@code "42[...]"} as strings, binary as {@code byte[]}) and offer the
 *       Socket.IO helpers ({@link Connection#connect()}, {@link Connection#emit},
 *       {@link Connection#next(String)}, {@link Connection#nextPacket});
 *   <li>a WebSocket written frame by frame over a plain (or TLS) socket, {@link #upgrade}: any
 *       target, permessage-deflate, fragments, close frames, the RSV1 bit of what it reads, raw
 *       bytes, and a reader that can stop reading so that TCP backs up.
 * </ul>
 *
 * <p>Settings ({@link #path}, {@link #tls}, {@link #from}, {@link #header}) return a new client.
 * Every wait is bounded by {@link #WAIT} (or a deadline the caller gives); every connection is
 * {@link AutoCloseable}.
 */
public final class TestClient implements AutoCloseable {
  /** How long any single expected thing may take to arrive. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final SocketCodec CODEC = new SocketCodec(JSON);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int port;
  private final String path;
  private final SSLContext ssl;
  private final InetAddress local;
  private final List<String> headers;
  private volatile HttpClient http;

  private TestClient(int port, String path, SSLContext ssl, InetAddress local, List<String> headers) {
    this.port = port;
    this.path = path;
    this.ssl = ssl;
    this.local = local;
    this.headers = headers;
  }

  /** A client of the server on 127.0.0.1:{@code port}, Engine.IO at {@code /socket.io/}. */
  public static TestClient to(int port) {
    return new TestClient(port, "/socket.io/", null, null, List.of());
  }

  public static TestClient to(ParleyServer server) {
    return to(server.port());
  }

  public static TestClient to(TestServer server) {
    return to(server.port());
  }

  /** The same client for the Engine.IO endpoint at {@code enginePath} (such as {@code /engine.io/}). */
  public TestClient path(String enginePath) {
    return new TestClient(port, enginePath, ssl, local, headers);
  }

  /** The same client over TLS (https, wss), trusting what {@code context} trusts. */
  public TestClient tls(SSLContext context) {
    return new TestClient(port, path, context, local, headers);
  }

  /** The same client connecting from the local address {@code address} (127.0.0.2, ...). */
  public TestClient from(String address) {
    try {
      return new TestClient(port, path, ssl, InetAddress.getByName(address), headers);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /** The same client sending this header with every request and WebSocket handshake. */
  public TestClient header(String name, String value) {
    List<String> more = new ArrayList<>(headers);
    more.add(name);
    more.add(value);
    return new TestClient(port, path, ssl, local, List.copyOf(more));
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} (https with TLS). */
  public String base() {
    return (ssl == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** The target of an Engine.IO request: {@code <path>?EIO=4&<query>}. */
  public String engine(String query) {
    return path + "?EIO=4&" + query;
  }

  /** The target of the polling requests of session {@code sid}. */
  public String pollingTarget(String sid) {
    return engine("transport=polling&sid=" + sid);
  }

  /** The target of the polling requests of session {@code sid} on the endpoint at {@code enginePath}. */
  public static String pollingTarget(String enginePath, String sid) {
    return enginePath + "?EIO=4&transport=polling&sid=" + sid;
  }

  // ---- HTTP ----

  /** The {@code java.net.http} client (HTTP/1.1, with this client's TLS and local address). */
  public HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) {
          HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT);
          if (ssl != null) {
            b.sslContext(ssl);
          }
          if (local != null) {
            b.localAddress(local);
          }
          http = b.build();
        }
        h = http;
      }
    }
    return h;
  }

  /** A request to {@code target} (path and query) with these headers (name, value, ...), bounded by {@link #WAIT}. */
  public HttpRequest.Builder request(String target, String... moreHeaders) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + target)).timeout(WAIT);
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    if (moreHeaders.length > 0) {
      b.headers(moreHeaders);
    }
    return b;
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http().send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String target, String... moreHeaders) {
    return send(request(target, moreHeaders).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> getBytes(String target, String... moreHeaders) {
    return send(request(target, moreHeaders).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> post(String target, String body, String... moreHeaders) {
    return send(request(target, moreHeaders).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request with any method and no body. */
  public HttpResponse<String> send(String method, String target, String... moreHeaders) {
    return send(request(target, moreHeaders).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The polling handshake: the open packet's JSON; fails unless answered 200 {@code 0{...}}. */
  public JsonNode handshake() {
    HttpResponse<String> r = get(engine("transport=polling"));
    if (r.statusCode() != 200 || !r.body().startsWith("0{")) {
      throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
    }
    return json(r.body().substring(1));
  }

  /** The polling handshake; returns the sid. */
  public String open() {
    return handshake().get("sid").textValue();
  }

  /** The polling handshake on the endpoint at {@code enginePath}: the open packet's JSON. */
  public JsonNode handshake(String enginePath) {
    return path(enginePath).handshake();
  }

  /** The polling handshake on the endpoint at {@code enginePath}; returns the sid. */
  public String open(String enginePath) {
    return path(enginePath).open();
  }

  // ---- Engine.IO connections ----

  /** An Engine.IO WebSocket connection: the upgrade, then the open packet read. */
  public Ws websocket() {
    return websocket("");
  }

  /** The same, with {@code query} ({@code a=1&b=2}) added to the handshake request. */
  public Ws websocket(String query) {
    Ws ws = upgrade(engine("transport=websocket" + (query.isEmpty() ? "" : "&" + query)), null);
    if (ws.status() != 101) {
      ws.close();
      throw new AssertionError("WebSocket handshake refused: " + ws.status());
    }
    String open = ws.nextText();
    if (!open.startsWith("0{")) {
      ws.close();
      throw new AssertionError("not an open packet: " + open);
    }
    ws.open = open;
    return ws;
  }

  /**
   * A Socket.IO client on a WebSocket: connected to {@code /} (CONNECT reply read, in
   * {@link Connection#connectReply()}), answering pings.
   */
  public Ws socketIo() {
    Ws ws = websocket();
    ws.answerPings(true);
    ws.connectReply = ws.connect();
    return ws;
  }

  /**
   * A WebSocket handshake to {@code target}, offering {@code extensions} when not null: the answer
   * is in {@link Ws#status()} and {@link Ws#headers()}; after a 101 a reader queues every message
   * and control frame.
   */
  public Ws upgrade(String target, String extensions) {
    try {
      return new Ws(this, target, extensions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An Engine.IO long-polling connection: the handshake, then one GET always outstanding. */
  public Polling polling() {
    return new Polling(this, "");
  }

  /** The same, with {@code query} added to the handshake request. */
  public Polling polling(String query) {
    return new Polling(this, query);
  }

  private Socket socket() throws IOException {
    Socket s = new Socket();
    if (local != null) {
      s.bind(new InetSocketAddress(local, 0));
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
    if (ssl == null) {
      return s;
    }
    SSLSocket t = (SSLSocket) ssl.getSocketFactory().createSocket(s, "127.0.0.1", port, true);
    t.setSoTimeout((int) WAIT.toMillis());
    t.startHandshake();
    return t;
  }

  // ---- the connections ----

  /** What the server sent: a whole message or a control frame (opcode as RFC 6455; polling gives text and binary). */
  public record Frame(int opcode, boolean compressed, byte[] payload) {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public boolean control() {
      return opcode >= 8;
    }

    /** The status code of a close frame (1005 when it has none). */
    public int closeStatus() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /**
   * One Engine.IO connection. What arrives is queued in order; {@code next*} take from the queue,
   * waiting at most {@link #WAIT}. When {@link #answerPings} is on, each ping is answered with a
   * pong at once (and still queued).
   */
  public abstract static sealed class Connection implements AutoCloseable permits Ws, Polling {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final SocketCodec.Decoder decoder = CODEC.new Decoder(1000, 1000);
    volatile boolean answerPings;
    volatile String decodeError;
    String open;
    JsonNode connectReply;

    /** The CONNECT reply of {@link TestClient#socketIo()}, null for other connections. */
    public JsonNode connectReply() {
      return connectReply;
    }

    /** The Engine.IO open packet ({@code 0{...}}). */
    public String openPacket() {
      return open;
    }

    /** The sid of the open packet. */
    public String sid() {
      return json(open.substring(1)).get("sid").asText();
    }

    /** Answer the server's pings from now on (the reader does; off by default). */
    public Connection answerPings(boolean on) {
      answerPings = on;
      return this;
    }

    Connection() {
      ended.whenComplete((how, e) -> closed.complete(-1));
    }

    /** Completes with a description (close frame and status, close packet, end of stream...) when the connection ends. */
    public CompletableFuture<String> ended() {
      return ended;
    }

    /** Completes when the connection ends: with the status of the server's close frame, or -1 without one. */
    public CompletableFuture<Integer> closed() {
      return closed;
    }

    public abstract String transport();

    /** Ends the connection (how depends on the transport). */
    @Override
    public abstract void close();

    /** Sends one Engine.IO text packet ({@code "40"}, {@code "42[...]"}, {@code "3"}, {@code "4hello"}). */
    public abstract void send(String packet);

    /** Sends one Engine.IO binary packet. */
    public abstract void sendBinary(byte[] data);

    /**
     * Sends these Engine.IO packets (String text, byte[] binary) as they are: one message each
     * on a WebSocket, one POST on polling (whatever its answer).
     */
    public abstract void sendAll(List<Object> packets);

    /** The next Engine.IO packet, ping included: a String or a byte[]. */
    public Object next() {
      Frame f = nextFrame(WAIT);
      return f.opcode() == Frame.BINARY ? f.payload() : f.text();
    }

    Frame nextFrame(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        Frame f = take(deadline);
        if (f == null) {
          throw new AssertionError("nothing arrived within " + wait + " (ended: " + ended.getNow("no") + ")");
        }
        if (!f.control()) {
          return f;
        }
      }
    }

    Frame take(long deadlineNanos) {
      try {
        while (true) {
          long left = deadlineNanos - System.nanoTime();
          Frame f = frames.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50))), TimeUnit.NANOSECONDS);
          if (f != null || left <= 0) {
            return f;
          }
          if (ended.isDone() && frames.isEmpty()) {
            return null;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    /** The next packet, which must be text. */
    public String nextText() {
      Object m = next();
      if (!(m instanceof String s)) {
        throw new AssertionError("expected a text packet, got " + m.getClass().getSimpleName());
      }
      return s;
    }

    /** The next packet, which must be binary. */
    public byte[] nextBinary() {
      Object m = next();
      if (!(m instanceof byte[] b)) {
        throw new AssertionError("expected a binary packet, got " + m);
      }
      return b;
    }

    /** The next text packet that is not a ping. */
    public String nextNonPing() {
      String m;
      do {
        m = nextText();
      } while (m.equals("2"));
      return m;
    }

    /** The JSON after {@code prefix} of the next packet but pings, which must start with it ({@code "40"}, {@code "42"}). */
    public JsonNode next(String prefix) {
      String m = nextNonPing();
      if (!m.startsWith(prefix)) {
        throw new AssertionError("expected " + prefix + "..., got " + m);
      }
      return json(m.substring(prefix.length()));
    }

    /** The next text packet that {@code matches}, skipping the others, within {@link #WAIT}. */
    public String awaitText(Predicate<String> matches) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Frame f = take(deadline);
        if (f == null) {
          throw new AssertionError("no matching packet within " + WAIT + " (ended: " + ended.getNow("no") + ")");
        }
        if (f.opcode() == Frame.TEXT && matches.test(f.text())) {
          return f.text();
        }
      }
    }

    /** A packet (ping included) arriving within {@code millis}, or null. */
    public Object poll(long millis) {
      Frame f = take(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
      while (f != null && f.control()) {
        f = take(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
      }
      return f == null ? null : f.opcode() == Frame.BINARY ? f.payload() : f.text();
    }

    // ---- Socket.IO ----

    /** CONNECT to {@code /}; returns the CONNECT reply ({@code {"sid":...}}). */
    public JsonNode connect() {
      send("40");
      return next("40");
    }

    /** CONNECT to {@code nsp} with {@code auth} (JSON, or null); returns the reply's payload. */
    public JsonNode connect(String nsp, String auth) {
      String prefix = "/".equals(nsp) ? "40" : "40" + nsp + ",";
      send(prefix + (auth == null ? "" : auth));
      return next(prefix);
    }

    /** Emits {@code event} with {@code args} (JSON values) to {@code /}. */
    public void emit(String event, Object... args) {
      List<Object> all = new ArrayList<>();
      all.add(event);
      Collections.addAll(all, args);
      try {
        send("42" + JSON.writeValueAsString(all));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e);
      }
    }

    /**
     * The next Socket.IO packet decoded (binary attachments joined), skipping Engine.IO packets
     * that are not messages; null when none came before {@code deadlineNanos} or the connection ended.
     */
    public SocketPacket nextPacket(long deadlineNanos) {
      while (true) {
        Frame f = take(deadlineNanos);
        if (f == null) {
          return null;
        }
        SocketPacket p = decode(f);
        if (p != null) {
          return p;
        }
      }
    }

    private synchronized SocketPacket decode(Frame f) {
      try {
        if (f.opcode() == Frame.BINARY) {
          return decoder.decodeBinary(f.payload());
        }
        String t = f.opcode() == Frame.TEXT ? f.text() : "";
        return t.startsWith("4") ? decoder.decodeText(t.substring(1)) : null;
      } catch (ProtocolException e) {
        decodeError = "server sent an undecodable packet: " + e.getMessage();
        return null;
      }
    }

    /** The packets queued now and not taken yet (String or byte[]), control frames left out. */
    public List<Object> received() {
      List<Object> out = new ArrayList<>();
      for (Frame f : frames) {
        if (!f.control()) {
          out.add(f.opcode() == Frame.BINARY ? f.payload() : f.text());
        }
      }
      return out;
    }

    /** What {@link #nextPacket} could not decode, or null. */
    public String decodeError() {
      return decodeError;
    }

    /** A text packet from the server: the pong when asked, the close packet, then queued. */
    void received(Frame f) {
      if (f.opcode() == Frame.TEXT) {
        String t = f.text();
        if (t.equals("2") && answerPings) {
          pong();
        } else if (t.equals("1")) {
          ended.complete("close packet");
        }
      }
      frames.add(f);
    }

    abstract void pong();
  }

  /** An Engine.IO WebSocket, or a bare one (see {@link #upgrade}), written frame by frame. */
  public static final class Ws extends Connection {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Inflater inflater = new Inflater(true);
    private final int status;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Object pause = new Object();
    private boolean paused;
    private volatile boolean closeSent;

    private Ws(TestClient client, String target, String extensions) throws IOException {
      socket = client.socket();
      socket.setSoTimeout((int) WAIT.toMillis());
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      StringBuilder req = new StringBuilder()
          .append("GET ").append(target).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(client.port).append("\r\n")
          .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
          .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
          .append("Sec-WebSocket-Version: 13\r\n");
      for (int i = 0; i < client.headers.size(); i += 2) {
        req.append(client.headers.get(i)).append(": ").append(client.headers.get(i + 1)).append("\r\n");
      }
      if (extensions != null) {
        req.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
      }
      out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      status = Integer.parseInt(line().split(" ")[1]);
      for (String l = line(); !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        responseHeaders.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      if (status == 101) {
        socket.setSoTimeout(0); // the reader blocks until the socket ends; close() ends it
        Thread.ofVirtual().name("test-ws-reader").start(this::readLoop);
      } else {
        ended.complete("handshake answered " + status);
      }
    }

    @Override
    public String transport() {
      return "websocket";
    }

    /** The status of the handshake's answer (101 when upgraded). */
    public int status() {
      return status;
    }

    /** The headers of the handshake's answer, names in lower case. */
    public Map<String, String> headers() {
      return responseHeaders;
    }

    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new EOFException("connection closed during the handshake");
        }
        if (c != '\r') {
          b.write(c);
        }
        if (b.size() > 8192) {
          throw new IOException("header line too long");
        }
      }
      return b.toString(StandardCharsets.US_ASCII);
    }

    // ---- reading ----

    /** Stops reading after the message being read, so that what the server sends backs up in TCP. */
    public void stopReading() {
      synchronized (pause) {
        paused = true;
      }
    }

    public void resumeReading() {
      synchronized (pause) {
        paused = false;
        pause.notifyAll();
      }
    }

    private void readLoop() {
      try {
        while (true) {
          synchronized (pause) {
            while (paused) {
              pause.wait();
            }
          }
          Frame f = readFrame();
          if (f == null) {
            ended.complete("end of stream");
            return;
          }
          received(f);
          if (f.opcode() == Frame.CLOSE) {
            closed.complete(f.closeStatus());
            ended.complete("close frame " + f.closeStatus());
            if (!closeSent) {
              try {
                frame(0x80 | Frame.CLOSE, Arrays.copyOf(f.payload(), Math.min(2, f.payload().length)), true); // as clients do
              } catch (UncheckedIOException e) {
                // already closed
              }
            }
          }
        }
      } catch (IOException e) {
        ended.complete("read failed: " + e);
      } catch (InterruptedException e) {
        ended.complete("interrupted");
      }
    }

    /** A whole message (continuations joined, inflated when RSV1 is set) or a control frame; null at the end. */
    private Frame readFrame() throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      int opcode = -1;
      boolean compressed = false;
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return null;
        }
        int b1 = in.readUnsignedByte();
        int op = b0 & 0x0f;
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        if (len > 16 * 1024 * 1024) {
          throw new IOException("frame too long: " + len);
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        if (mask != null) {
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
          }
        }
        if (op >= 8) {
          return new Frame(op, false, payload);
        }
        if (op != 0) {
          opcode = op;
          compressed = (b0 & 0x40) != 0;
        }
        message.write(payload);
        if ((b0 & 0x80) != 0) {
          byte[] data = message.toByteArray();
          return new Frame(opcode, compressed, compressed ? inflate(data) : data);
        }
      }
    }

    private byte[] inflate(byte[] data) throws IOException {
      byte[] input = Arrays.copyOf(data, data.length + 4);
      System.arraycopy(TAIL, 0, input, data.length, 4);
      inflater.setInput(input);
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      try {
        while (!inflater.needsInput()) {
          int n = inflater.inflate(buf);
          if (n == 0 && inflater.needsInput()) {
            break;
          }
          o.write(buf, 0, n);
        }
      } catch (DataFormatException e) {
        throw new IOException("bad deflate data", e);
      }
      return o.toByteArray();
    }

    /** The next message or control frame, whatever it is; fails when none comes within {@link #WAIT}. */
    public Frame read() {
      Frame f = take(System.nanoTime() + WAIT.toNanos());
      if (f == null) {
        throw new AssertionError("nothing arrived within " + WAIT + " (ended: " + ended.getNow("no") + ")");
      }
      return f;
    }

    /** The next message or control frame but Engine.IO pings. */
    public Frame readData() {
      Frame f;
      do {
        f = read();
      } while (f.opcode() == Frame.TEXT && "2".equals(f.text()));
      return f;
    }

    /** True when the server ends the connection (close frame or end of stream) within {@link #WAIT}. */
    public boolean awaitClosed() {
      try {
        ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    /** The close status of the server's close frame, which must come within {@link #WAIT}. */
    public int awaitCloseStatus() {
      Frame f;
      do {
        f = read();
      } while (f.opcode() != Frame.CLOSE);
      return f.closeStatus();
    }

    // ---- writing ----

    @Override
    public void send(String packet) {
      sendText(packet, false);
    }

    @Override
    public void sendBinary(byte[] data) {
      sendBinary(data, false);
    }

    @Override
    public void sendAll(List<Object> packets) {
      for (Object p : packets) {
        if (p instanceof String t) {
          sendText(t, false);
        } else {
          sendBinary((byte[]) p, false);
        }
      }
    }

    @Override
    void pong() {
      try {
        frame(0x80 | Frame.TEXT, "3".getBytes(StandardCharsets.US_ASCII), true);
      } catch (UncheckedIOException e) {
        // the connection is ending; the reader records it
      }
    }

    /** A text message, deflated with RSV1 set when {@code compress} (permessage-deflate must have been agreed). */
    public void sendText(String s, boolean compress) {
      message(Frame.TEXT, s.getBytes(StandardCharsets.UTF_8), compress);
    }

    public void sendBinary(byte[] b, boolean compress) {
      message(Frame.BINARY, b, compress);
    }

    /** A close frame with {@code status}. */
    public void sendClose(int status) {
      frame(0x80 | Frame.CLOSE, new byte[] {(byte) (status >>> 8), (byte) status}, true);
    }

    /** A fragmented text message: one frame per part, continuation frames after the first. */
    public void sendTextFragments(String... parts) {
      for (int i = 0; i < parts.length; i++) {
        frame((i == parts.length - 1 ? 0x80 : 0) | (i == 0 ? Frame.TEXT : 0), parts[i].getBytes(StandardCharsets.UTF_8),
            true);
      }
    }

    private void message(int opcode, byte[] data, boolean compress) {
      frame(0x80 | (compress ? 0x40 : 0) | opcode, compress ? deflate(data) : data, true);
    }

    /** Writes one frame; {@code b0} is its first byte (FIN, RSV bits, opcode) as given, masked or not. */
    public synchronized void frame(int b0, byte[] payload, boolean masked) {
      if ((b0 & 0x0f) == Frame.CLOSE) {
        closeSent = true;
      }
      ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
      f.write(b0);
      int maskBit = masked ? 0x80 : 0;
      if (payload.length < 126) {
        f.write(maskBit | payload.length);
      } else if (payload.length < 65_536) {
        f.write(maskBit | 126);
        f.write(payload.length >>> 8);
        f.write(payload.length & 0xff);
      } else {
        f.write(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          f.write((int) ((long) payload.length >>> shift) & 0xff);
        }
      }
      if (masked) {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
          f.write(payload[i] ^ mask[i & 3]);
        }
      } else {
        f.write(payload, 0, payload.length);
      }
      raw(f.toByteArray());
    }

    /** Bytes exactly as given (a broken frame header, say). */
    public synchronized void raw(byte[] bytes) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A fresh deflater per message: valid whether or not context takeover was agreed. */
    private static byte[] deflate(byte[] data) {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      try {
        d.setInput(data);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        int n;
        do {
          n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
          o.write(buf, 0, n);
        } while (n == buf.length);
        byte[] all = o.toByteArray();
        if (all.length >= 4 && Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
          return Arrays.copyOf(all, all.length - 4);
        }
        return all;
      } finally {
        d.end();
      }
    }

    /** Drops the TCP connection, with no close frame (the server sees "transport close"). */
    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** An Engine.IO long-polling connection over {@code java.net.http}: one GET always outstanding, a POST per send. */
  public static final class Polling extends Connection {
    private final TestClient client;
    private final String target;
    private volatile boolean stopped;

    private Polling(TestClient client, String query) {
      this.client = client;
      HttpResponse<String> r = client.get(client.engine("transport=polling" + (query.isEmpty() ? "" : "&" + query)));
      if (r.statusCode() != 200 || !r.body().startsWith("0{")) {
        throw new AssertionError("polling handshake failed: " + r.statusCode() + " " + r.body());
      }
      open = r.body();
      target = client.pollingTarget(sid());
      Thread.ofVirtual().name("test-poll-" + sid()).start(this::pollLoop);
    }

    @Override
    public String transport() {
      return "polling";
    }

    private void pollLoop() {
      try {
        while (!stopped && !ended.isDone()) {
          HttpResponse<String> r = client.http().send(client.request(target).timeout(WAIT.multipliedBy(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            ended.complete("GET answered " + r.statusCode() + " " + r.body());
            return;
          }
          List<EnginePacket> packets;
          try {
            packets = EngineCodec.decodePayload(r.body());
          } catch (ProtocolException e) {
            decodeError = "server sent an undecodable payload " + r.body();
            continue;
          }
          for (EnginePacket p : packets) {
            switch (p) {
              case EnginePacket.Binary b -> received(new Frame(Frame.BINARY, false, b.data()));
              case EnginePacket.Text t -> received(new Frame(Frame.TEXT, false,
                  (t.type().code() + t.data()).getBytes(StandardCharsets.UTF_8)));
            }
          }
        }
      } catch (IOException e) {
        ended.complete("GET failed: " + e);
      } catch (InterruptedException e) {
        ended.complete("interrupted");
      }
    }

    /** POSTs {@code body} as it is (an encoded payload); returns the status, -1 when the request failed. */
    public int post(String body) {
      try {
        HttpResponse<String> r = client.http().send(client.request(target)
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 400) {
          ended.complete("POST answered 400 " + r.body());
        }
        return r.statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    @Override
    public void sendAll(List<Object> packets) {
      post(packets);
    }

    /** POSTs these packets (String text, byte[] binary) in one payload; returns the status. */
    public int post(List<Object> packets) {
      List<byte[]> data = new ArrayList<>();
      List<Boolean> binary = new ArrayList<>();
      for (Object f : packets) {
        data.add(f instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) f);
        binary.add(!(f instanceof String));
      }
      return post(new String(EngineCodec.encodePayload(data, binary), StandardCharsets.UTF_8));
    }

    @Override
    public void send(String packet) {
      int s = post(packet);
      if (s != 200) {
        throw new AssertionError("POST of " + packet + " answered " + s);
      }
    }

    @Override
    public void sendBinary(byte[] data) {
      int s = post(List.of(data));
      if (s != 200) {
        throw new AssertionError("POST of a binary packet answered " + s);
      }
    }

    @Override
    void pong() {
      Thread.ofVirtual().start(() -> post("3"));
    }

    /** Leaves as a client does: a close packet, so the session ends now rather than at the ping timeout. */
    @Override
    public void close() {
      stopped = true;
      if (!ended.isDone()) {
        post("1");
      }
    }

    /** Stops polling without telling the server (the session ends at its ping timeout). */
    public void stop() {
      stopped = true;
    }
  }

  /** Closes the HTTP client, if one was made (the connections are closed on their own). */
  @Override
  public void close() {
    HttpClient h = http;
    if (h != null) {
      h.close();
    }
  }

  // ---- JSON ----

  /** JSON text as a tree. */
  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
