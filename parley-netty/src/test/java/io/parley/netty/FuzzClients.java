package io.parley.netty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.protocol.EngineCodec;
import io.parley.protocol.EnginePacket;
import io.parley.protocol.EngineType;
import io.parley.protocol.ProtocolException;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Clients for the live-server fuzz test, which must be able to send anything: a WebSocket over a
 * plain socket that writes frames byte for byte (any opcode, flags, mask or length), and a
 * long-polling client over java.net.http. Both answer the server's pings when asked to, decode
 * what they receive into Socket.IO packets, and record when the server ends the connection. Every
 * wait is bounded.
 */
final class FuzzClients {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SocketCodec CODEC = new SocketCodec(JSON);
  private static final SecureRandom RANDOM = new SecureRandom();

  private FuzzClients() {}

  /** One Engine.IO connection of either transport. */
  interface Conn extends AutoCloseable {
    /** Sends Engine.IO frames: text ("4..." etc.) as String, binary as byte[]. WebSocket: one message each; polling: one POST. */
    void send(List<Object> frames) throws IOException, InterruptedException;

    /** The next Socket.IO packet received, or null when none came before the deadline (or the connection ended). */
    SocketPacket next(long deadlineNanos) throws InterruptedException;

    /** Completes with a description when the server ended the connection. */
    CompletableFuture<String> ended();

    String transport();

    @Override
    void close();
  }

  /** Decodes a stream of Engine.IO messages into Socket.IO packets (client side, so any attachment count). */
  private static final class Inbox {
    private final BlockingQueue<SocketPacket> packets = new LinkedBlockingQueue<>();
    private final SocketCodec.Decoder decoder = CODEC.new Decoder(1000, 1000);
    volatile String error;

    synchronized void text(String socketIoPacket) {
      try {
        SocketPacket p = decoder.decodeText(socketIoPacket);
        if (p != null) {
          packets.add(p);
        }
      } catch (ProtocolException e) {
        error = "server sent an undecodable packet " + socketIoPacket + ": " + e.getMessage();
      }
    }

    synchronized void binary(byte[] b) {
      try {
        SocketPacket p = decoder.decodeBinary(b);
        if (p != null) {
          packets.add(p);
        }
      } catch (ProtocolException e) {
        error = "server sent an unexpected binary frame: " + e.getMessage();
      }
    }

    SocketPacket next(long deadlineNanos, CompletableFuture<String> ended) throws InterruptedException {
      while (true) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return packets.poll();
        }
        SocketPacket p = packets.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
        if (p != null) {
          return p;
        }
        if (ended.isDone() && packets.isEmpty()) {
          return null;
        }
      }
    }
  }

  // ---- WebSocket ----

  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;

  /** A WebSocket client over a plain socket. */
  static final class Ws implements Conn {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final boolean answerPings;
    private final Inbox inbox = new Inbox();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    /** The Engine.IO open packet. */
    final String open;

    private Ws(int port, String path, boolean answerPings) throws IOException {
      this.answerPings = answerPings;
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      String req = "GET " + path + "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
          + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      if (!status.contains(" 101 ")) {
        socket.close();
        throw new IOException("WebSocket handshake refused: " + status);
      }
      while (!line().isEmpty()) {
        // headers
      }
      Frame first = readMessage();
      if (first == null || first.opcode != TEXT || !first.text().startsWith("0{")) {
        socket.close();
        throw new IOException("no open packet");
      }
      open = first.text();
      socket.setSoTimeout(0); // the reader below blocks until the socket ends; close() ends it
      Thread.ofVirtual().name("fuzz-ws-reader").start(this::readLoop);
    }

    static Ws open(int port, String path, boolean answerPings) throws IOException {
      return new Ws(port, path, answerPings);
    }

    @Override
    public String transport() {
      return "websocket";
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

    private record Frame(int opcode, byte[] payload) {
      String text() {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }

    /** A whole message (continuations joined) or a control frame; null at the end of the stream. */
    private Frame readMessage() throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      int opcode = -1;
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
        byte[] payload = in.readNBytes((int) len);
        if (op >= 8) {
          return new Frame(op, payload);
        }
        if (op != 0) {
          opcode = op;
        }
        message.write(payload);
        if ((b0 & 0x80) != 0) {
          return new Frame(opcode, message.toByteArray());
        }
      }
    }

    private void readLoop() {
      try {
        while (true) {
          Frame f = readMessage();
          if (f == null) {
            ended.complete("end of stream");
            return;
          }
          if (f.opcode == CLOSE) {
            int code = f.payload.length >= 2 ? ((f.payload[0] & 0xff) << 8) | (f.payload[1] & 0xff) : 1005;
            ended.complete("close frame " + code);
            return;
          }
          if (f.opcode == TEXT) {
            String t = f.text();
            if (t.equals("2")) {
              if (answerPings) {
                sendQuietly(TEXT, "3".getBytes(StandardCharsets.US_ASCII));
              }
            } else if (t.startsWith("4")) {
              inbox.text(t.substring(1));
            } else if (t.equals("1")) {
              ended.complete("close packet");
            }
          } else if (f.opcode == BINARY) {
            inbox.binary(f.payload);
          }
        }
      } catch (IOException e) {
        ended.complete("read failed: " + e);
      }
    }

    private void sendQuietly(int opcode, byte[] data) {
      try {
        frame(0x80 | opcode, data, true);
      } catch (IOException e) {
        // the connection is ending; the reader records it
      }
    }

    @Override
    public void send(List<Object> frames) throws IOException {
      for (Object f : frames) {
        if (f instanceof String s) {
          frame(0x80 | TEXT, s.getBytes(StandardCharsets.UTF_8), true);
        } else {
          frame(0x80 | BINARY, (byte[]) f, true);
        }
      }
    }

    /** Writes one frame: {@code b0} is the first header byte (FIN, RSV, opcode) as given. */
    synchronized void frame(int b0, byte[] payload, boolean masked) throws IOException {
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
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
          f.write(payload[i] ^ mask[i & 3]);
        }
      } else {
        f.write(payload);
      }
      out.write(f.toByteArray());
      out.flush();
    }

    /** Bytes exactly as given (a broken frame header, say). */
    synchronized void raw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    @Override
    public SocketPacket next(long deadlineNanos) throws InterruptedException {
      return inbox.next(deadlineNanos, ended);
    }

    @Override
    public CompletableFuture<String> ended() {
      return ended;
    }

    String inboxError() {
      return inbox.error;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  // ---- long polling ----

  /** A long-polling client: one GET always outstanding (answering pings), POSTs as asked. */
  static final class Polling implements Conn {
    private final HttpClient http;
    private final String url;
    private final Inbox inbox = new Inbox();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final boolean answerPings;
    private volatile boolean stopped;
    final String sid;

    private Polling(HttpClient http, int port, String path, boolean answerPings) throws IOException, InterruptedException {
      this.http = http;
      this.answerPings = answerPings;
      String base = "http://127.0.0.1:" + port + path + "?EIO=4&transport=polling";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.body().startsWith("0{")) {
        throw new IOException("polling handshake failed: " + r.statusCode() + " " + r.body());
      }
      JsonNode open = JSON.readTree(r.body().substring(1));
      sid = open.get("sid").textValue();
      url = base + "&sid=" + sid;
      Thread.ofVirtual().name("fuzz-poll-" + sid).start(this::pollLoop);
    }

    static Polling open(HttpClient http, int port, String path, boolean answerPings) throws IOException, InterruptedException {
      return new Polling(http, port, path, answerPings);
    }

    @Override
    public String transport() {
      return "polling";
    }

    private void pollLoop() {
      try {
        while (!stopped && !ended.isDone()) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            ended.complete("GET answered " + r.statusCode() + " " + r.body());
            return;
          }
          List<EnginePacket> packets;
          try {
            packets = EngineCodec.decodePayload(r.body());
          } catch (ProtocolException e) {
            inbox.error = "server sent an undecodable payload " + r.body();
            continue;
          }
          for (EnginePacket p : packets) {
            switch (p) {
              case EnginePacket.Binary b -> inbox.binary(b.data());
              case EnginePacket.Text t -> {
                if (t.type() == EngineType.MESSAGE) {
                  inbox.text(t.data());
                } else if (t.type() == EngineType.PING && answerPings) {
                  postQuietly("3");
                } else if (t.type() == EngineType.CLOSE) {
                  ended.complete("close packet");
                }
              }
            }
          }
        }
      } catch (IOException e) {
        ended.complete("GET failed: " + e);
      } catch (InterruptedException e) {
        ended.complete("interrupted");
      }
    }

    /** POSTs a body; returns the status (-1 when the request failed). */
    int post(String body) throws InterruptedException {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 400) {
          ended.complete("POST answered 400 " + r.body());
        }
        return r.statusCode();
      } catch (IOException e) {
        return -1;
      }
    }

    private void postQuietly(String body) {
      Thread.ofVirtual().start(() -> {
        try {
          post(body);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    @Override
    public void send(List<Object> frames) throws InterruptedException {
      List<byte[]> data = new ArrayList<>();
      List<Boolean> binary = new ArrayList<>();
      for (Object f : frames) {
        data.add(f instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) f);
        binary.add(!(f instanceof String));
      }
      post(new String(EngineCodec.encodePayload(data, binary), StandardCharsets.UTF_8));
    }

    @Override
    public SocketPacket next(long deadlineNanos) throws InterruptedException {
      return inbox.next(deadlineNanos, ended);
    }

    @Override
    public CompletableFuture<String> ended() {
      return ended;
    }

    String inboxError() {
      return inbox.error;
    }

    /** Leaves as a client does: a close packet, so the session ends now rather than at the ping timeout. */
    @Override
    public void close() {
      stopped = true;
      if (!ended.isDone()) {
        try {
          post("1");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
