package io.parley.server.engine;

import io.parley.protocol.EncodedPacket;
import io.parley.protocol.EngineCodec;
import io.parley.protocol.EnginePacket;
import io.parley.protocol.EngineType;
import io.parley.protocol.ProtocolException;
import io.parley.server.DisconnectReason;
import io.parley.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: the handshake's promise kept over polling or a WebSocket, the heartbeat,
 * the buffer of a polling client, the upgrade (probe, pause, switch) and the close. All state is
 * confined to {@link #exec}: every entry point either runs there or hops there first, so nothing
 * here needs a lock.
 */
final class EngineSession implements EngineConnection {
  private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
  private static final byte[] NOOP = {'6'};
  private static final byte[] CLOSE = {'1'};
  private static final byte[] PING = {'2'};
  private static final byte[] PROBE_REPLY = "3probe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
  private static final int NORMAL_CLOSURE = 1000;

  private enum State { OPEN, CLOSING, CLOSED }

  /** A parked long-polling GET. */
  record PendingGet(HttpExchange exchange, String origin) {}

  private record Frame(byte[] data, boolean binary) {}

  /** Frames waiting for the next polling response, with their byte total kept as they come and go. */
  private static final class FrameQueue extends ArrayList<Frame> {
    private static final long serialVersionUID = 1L;
    private long bytes;

    @Override
    public boolean add(Frame f) {
      bytes += f.data().length;
      return super.add(f);
    }

    @Override
    public void clear() {
      bytes = 0;
      super.clear();
    }

    @Override
    protected void removeRange(int from, int to) { // what subList(a, b).clear() calls
      for (int i = from; i < to; i++) {
        bytes -= get(i).data().length;
      }
      super.removeRange(from, to);
    }

    long bytes() {
      return bytes;
    }
  }

  /** One WebSocket of this session (its transport, or an upgrade probe): frames in, close events. */
  private final class Ws implements WebSocketHandler {
    final WebSocketSink sink;

    Ws(WebSocketSink sink) {
      this.sink = sink;
    }

    @Override
    public void onText(byte[] utf8) {
      if (exec.inExecutor()) {
        onWsText(this, utf8);
      } else {
        execute(() -> onWsText(this, utf8));
      }
    }

    @Override
    public void onBinary(byte[] data) {
      execute(() -> onWsBinary(this, data));
    }

    @Override
    public void onError() {
      execute(() -> onWsError(this));
    }

    @Override
    public void onClosed() {
      execute(() -> onWsClosed(this));
    }
  }

  final String sid;
  final EngineExecutor exec;
  private final Engine engine;
  private final RequestInfo request;
  private EngineListener listener;
  private State state = State.OPEN;

  private Ws ws;
  private PendingGet pendingGet;
  private final FrameQueue buffer = new FrameQueue();

  private Ws probe;
  private boolean upgrading;
  private ScheduledFuture<?> upgradeTimer;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> pongTimer;
  private ScheduledFuture<?> closingTimer;
  private boolean notified;

  EngineSession(String sid, EngineExecutor exec, Engine engine, RequestInfo request) {
    this.sid = sid;
    this.exec = exec;
    this.engine = engine;
    this.request = request;
  }

  /** Hands the session to the application; the handshake has been sent. */
  void start(EngineListener l) {
    this.listener = l;
    schedulePing();
  }

  /** The session's transport is this WebSocket from the start (a WebSocket handshake). */
  WebSocketHandler attachWebSocket(WebSocketSink sink) {
    ws = new Ws(sink);
    return ws;
  }

  void execute(Runnable r) {
    if (exec.inExecutor()) {
      r.run();
    } else {
      try {
        exec.execute(r);
      } catch (RejectedExecutionException e) {
        // The server is stopping and this session's executor is gone: so is the session. (Close
        // events of sockets on other executors land here during shutdown.)
        log.debug("session {}: executor terminated, dropping a task", sid);
      }
    }
  }

  // ---- EngineConnection ----

  @Override
  public String id() {
    return sid;
  }

  @Override
  public String transport() {
    return ws != null ? "websocket" : "polling";
  }

  @Override
  public RequestInfo request() {
    return request;
  }

  @Override
  public void send(EncodedPacket packet, boolean droppable) {
    if (exec.inExecutor()) {
      doSend(packet, droppable);
    } else {
      execute(() -> doSend(packet, droppable));
    }
  }

  @Override
  public void sendBinary(byte[] data) {
    execute(() -> {
      if (state == State.OPEN) {
        write(new Frame(data, true), true);
      }
    });
  }

  @Override
  public EngineExecutor executor() {
    return exec;
  }

  @Override
  public void close() {
    execute(this::closeByServer);
  }

  private void doSend(EncodedPacket p, boolean droppable) {
    if (state != State.OPEN) {
      return;
    }
    if (droppable && !writable()) {
      engine.metrics().volatileDropped();
      return;
    }
    long bytes = p.text().length;
    for (byte[] a : p.attachments()) {
      bytes += a.length;
    }
    engine.metrics().bytesOut(bytes);
    if (ws != null) {
      WebSocketSink sink = ws.sink;
      sink.send(p);
      long queued = sink.queuedBytes();
      if (queued > engine.options().maxBufferedBytes()) {
        slowClient(queued);
        return;
      }
      sink.flush();
    } else {
      buffer.add(new Frame(p.text(), false));
      for (byte[] a : p.attachments()) {
        buffer.add(new Frame(a, true));
      }
      if (pendingGet == null) {
        long queued = buffer.bytes();
        if (queued > engine.options().maxBufferedBytes()) {
          slowClient(queued);
          return;
        }
      }
      flushPolling();
    }
  }

  /** The client does not read fast enough: drop what is queued and close (bounded memory per connection). */
  private void slowClient(long queuedBytes) {
    log.info("session {}: closing a slow client ({} bytes queued, limit {})", sid, queuedBytes,
        engine.options().maxBufferedBytes());
    buffer.clear();
    engine.metrics().slowClientDisconnected();
    onClose(DisconnectReason.SLOW_CLIENT);
  }

  private boolean writable() {
    return ws != null ? ws.sink.writable() : pendingGet != null;
  }

  private void write(Frame f, boolean flush) {
    if (ws != null) {
      if (f.binary()) {
        ws.sink.sendBinary(f.data());
      } else {
        ws.sink.sendText(f.data());
      }
      if (flush) {
        ws.sink.flush();
      }
    } else {
      buffer.add(f);
      if (flush) {
        flushPolling();
      }
    }
  }

  private void flushPolling() {
    if (pendingGet == null || buffer.isEmpty()) {
      return;
    }
    PendingGet get = pendingGet;
    pendingGet = null;
    respond(get, payload(buffer));
    buffer.clear();
  }

  private static byte[] payload(List<Frame> frames) {
    if (frames.size() == 1 && !frames.get(0).binary()) {
      return frames.get(0).data();
    }
    List<byte[]> data = new ArrayList<>(frames.size());
    List<Boolean> binary = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      data.add(f.data());
      binary.add(f.binary());
    }
    return EngineCodec.encodePayload(data, binary);
  }

  private void respond(PendingGet get, byte[] body) {
    HttpResponse r = HttpResponse.of(200, HttpResponse.TEXT, body).header("Cache-Control", "no-store");
    engine.cors().apply(get.origin(), r);
    get.exchange().respond(r);
  }

  // ---- polling ----

  void onPollGet(PendingGet get) {
    if (state == State.CLOSED || ws != null) {
      engine.error(get.exchange(), get.origin(), EngineError.BAD_REQUEST);
      return;
    }
    if (pendingGet != null) {
      engine.error(get.exchange(), get.origin(), EngineError.BAD_REQUEST);
      onClose(DisconnectReason.TRANSPORT_ERROR);
      return;
    }
    if (state == State.CLOSING) {
      int close = buffer.size() - 1;
      // (the CLOSE array itself: only closeByServer queues it)
      if (close > 0 && buffer.get(close).data() == CLOSE) {
        // Packets queued before a server-side close go out first and the close packet with the
        // next GET, as the reference does: socket.io-client handles messages a tick after they
        // arrive, so a close packet in the same payload would overtake them (a DISCONNECT sent
        // just before the close would be seen as "transport close").
        respond(get, payload(buffer.subList(0, close)));
        buffer.subList(0, close).clear();
        return;
      }
      respond(get, payload(buffer));
      buffer.clear();
      finish();
      return;
    }
    if (upgrading) {
      buffer.add(new Frame(NOOP, false));
    }
    pendingGet = get;
    get.exchange().onClose(() -> execute(() -> {
      if (pendingGet == get) {
        pendingGet = null;
        onClose(DisconnectReason.TRANSPORT_ERROR);
      }
    }));
    flushPolling();
  }

  void onPollPost(HttpExchange ex, String origin, String body) {
    if (state == State.CLOSING && ws == null && hasClosePacket(body)) {
      // We are waiting for a GET to carry our close packet, but the client closed on its side
      // (e.g. after a DISCONNECT from disconnect(true)): the session ends now, not at the timer.
      ok(ex, origin);
      finish();
      return;
    }
    if (state != State.OPEN || ws != null) {
      engine.error(ex, origin, EngineError.BAD_REQUEST);
      return;
    }
    engine.metrics().bytesIn(body.length());
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(body);
    } catch (ProtocolException e) {
      log.debug("session {}: bad polling payload: {}", sid, e.getMessage());
      engine.error(ex, origin, EngineError.BAD_REQUEST);
      onClose(DisconnectReason.PARSE_ERROR);
      return;
    }
    for (EnginePacket p : packets) {
      onPacket(p);
    }
    ok(ex, origin);
  }

  private void ok(HttpExchange ex, String origin) {
    HttpResponse r = HttpResponse.of(200, HttpResponse.HTML, OK);
    engine.cors().apply(origin, r);
    ex.respond(r);
  }

  private static boolean hasClosePacket(String body) {
    try {
      return EngineCodec.decodePayload(body).stream()
          .anyMatch(p -> p instanceof EnginePacket.Text t && t.type() == EngineType.CLOSE);
    } catch (ProtocolException e) {
      return false;
    }
  }

  // ---- websocket ----

  /** A text frame from a WebSocket of this session (the current one or an upgrade probe). */
  private void onWsText(Ws from, byte[] utf8) {
    if (from == probe && state != State.CLOSED) {
      // An upgrade in progress completes even when the server is closing the session: the client
      // has paused polling, so the queued packets and the close packet must go over the WebSocket.
      onProbeText(from, new String(utf8, StandardCharsets.UTF_8));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    engine.metrics().bytesIn(utf8.length);
    if (from != ws) {
      return;
    }
    if (utf8.length > 0 && utf8[0] == '4') {
      listener.onText(utf8, 1, utf8.length - 1); // the hot path: a message, handed on as bytes
      return;
    }
    try {
      onPacket(EngineCodec.decodeText(new String(utf8, StandardCharsets.UTF_8)));
    } catch (ProtocolException e) {
      log.debug("session {}: bad packet: {}", sid, e.getMessage());
      onClose(DisconnectReason.PARSE_ERROR);
    }
  }

  /** The WebSocket broke the protocol (an oversized or corrupt frame); the binding closes it. */
  private void onWsError(Ws from) {
    if (from == ws && state == State.OPEN) {
      ws = null;
      onClose(DisconnectReason.TRANSPORT_ERROR);
    }
  }

  private void onWsBinary(Ws from, byte[] data) {
    if (state == State.OPEN && from == ws) {
      engine.metrics().bytesIn(data.length);
      onPacket(new EnginePacket.Binary(data));
    }
  }

  private void onWsClosed(Ws from) {
    if (from == ws) {
      onClose(DisconnectReason.TRANSPORT_CLOSE);
    } else if (from == probe) {
      probe = null;
      upgrading = false;
      upgradeTimer.cancel(false);
    }
  }

  /**
   * A WebSocket asks to take over this polling session (called on the WebSocket's I/O thread once
   * its handshake is done): it becomes the probe, or is closed when the session cannot upgrade.
   */
  WebSocketHandler probe(WebSocketSink sink) {
    Ws candidate = new Ws(sink);
    execute(() -> {
      if (!startUpgrade(candidate)) {
        sink.terminate();
      }
    });
    return candidate;
  }

  private boolean startUpgrade(Ws candidate) {
    if (state != State.OPEN || ws != null || probe != null) {
      return false;
    }
    probe = candidate;
    upgradeTimer = exec.schedule(() -> {
      if (probe == candidate) {
        log.debug("session {}: upgrade timed out", sid);
        probe = null;
        upgrading = false;
        candidate.sink.terminate();
      }
    }, engine.options().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  private void onProbeText(Ws from, String text) {
    if ("2probe".equals(text)) {
      from.sink.sendText(PROBE_REPLY);
      from.sink.flush();
      upgrading = true;
      if (pendingGet != null) {
        buffer.add(new Frame(NOOP, false));
        flushPolling();
      }
    } else if ("5".equals(text) && upgrading) {
      upgradeTimer.cancel(false);
      probe = null;
      upgrading = false;
      if (pendingGet != null) {
        PendingGet get = pendingGet;
        pendingGet = null;
        respond(get, NOOP);
      }
      ws = from;
      for (Frame f : buffer) {
        write(f, false);
      }
      buffer.clear();
      ws.sink.flush();
      listener.onUpgrade("websocket");
      if (state == State.CLOSING) {
        // The server closed the session meanwhile: what was queued (its close packet last) went out.
        WebSocketSink s = ws.sink;
        ws = null;
        s.close(NORMAL_CLOSURE);
        finish();
      }
    } else {
      log.debug("session {}: unexpected packet during upgrade: {}", sid, text);
      probe = null;
      upgrading = false;
      upgradeTimer.cancel(false);
      from.sink.terminate();
    }
  }

  // ---- packets and heartbeat ----

  private void onPacket(EnginePacket p) {
    if (state != State.OPEN) {
      return;
    }
    switch (p) {
      case EnginePacket.Binary b -> listener.onBinary(b.data());
      case EnginePacket.Text t -> {
        switch (t.type()) {
          case MESSAGE -> listener.onText(t.data());
          case PONG -> {
            if (pongTimer != null) {
              pongTimer.cancel(false);
              pongTimer = null;
            }
            schedulePing();
          }
          case CLOSE -> onClose(DisconnectReason.TRANSPORT_CLOSE);
          case NOOP -> { }
          case OPEN, PING, UPGRADE -> {
            log.debug("session {}: unexpected {} packet", sid, t.type());
            onClose(DisconnectReason.PARSE_ERROR);
          }
        }
      }
    }
  }

  private void schedulePing() {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    long interval = engine.options().pingInterval().toMillis();
    pingTimer = exec.schedule(() -> {
      if (state != State.OPEN) {
        return;
      }
      write(new Frame(PING, false), true);
      pongTimer = exec.schedule(() -> onClose(DisconnectReason.PING_TIMEOUT),
          engine.options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }, interval, TimeUnit.MILLISECONDS);
  }

  // ---- closing ----

  /** Server-initiated close: deliver what is queued, then the close packet. */
  private void closeByServer() {
    if (state != State.OPEN) {
      return;
    }
    if (ws != null) {
      WebSocketSink s = ws.sink;
      ws = null;
      s.close(NORMAL_CLOSURE);
      onClose(DisconnectReason.FORCED_CLOSE);
      return;
    }
    buffer.add(new Frame(CLOSE, false));
    if (pendingGet != null) {
      flushPolling();
      onClose(DisconnectReason.FORCED_CLOSE);
      return;
    }
    // Wait (bounded) for the client's next GET to hand it the queued packets and the close packet.
    state = State.CLOSING;
    cancelTimers();
    notifyClosed(DisconnectReason.FORCED_CLOSE);
    closingTimer = exec.schedule(this::finish, engine.options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes at once: the session leaves the table now, so later requests get 400. */
  void onClose(DisconnectReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.OPEN && ws == null && pendingGet == null && reason == DisconnectReason.TRANSPORT_CLOSE) {
      // The client's close packet came by POST before its GET reached us: that GET still gets its
      // noop, then the session is gone.
      buffer.clear();
      buffer.add(new Frame(NOOP, false));
      state = State.CLOSING;
      cancelTimers();
      notifyClosed(reason);
      closingTimer = exec.schedule(this::finish, 1, TimeUnit.SECONDS);
      return;
    }
    if (pendingGet != null) {
      PendingGet get = pendingGet;
      pendingGet = null;
      respond(get, reason == DisconnectReason.TRANSPORT_CLOSE ? NOOP : CLOSE);
    }
    buffer.clear();
    if (ws != null) {
      WebSocketSink s = ws.sink;
      ws = null;
      s.close(NORMAL_CLOSURE);
    }
    if (probe != null) {
      probe.sink.terminate();
      probe = null;
    }
    finish();
    notifyClosed(reason);
  }

  private void finish() {
    state = State.CLOSED;
    cancelTimers();
    if (closingTimer != null) {
      closingTimer.cancel(false);
    }
    engine.remove(this);
  }

  private void notifyClosed(DisconnectReason reason) {
    if (!notified && listener != null) {
      notified = true;
      try {
        listener.onClose(reason);
      } catch (RuntimeException e) {
        log.warn("close listener failed", e);
      }
    }
  }

  private void cancelTimers() {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    if (pongTimer != null) {
      pongTimer.cancel(false);
    }
    if (upgradeTimer != null) {
      upgradeTimer.cancel(false);
    }
  }
}
