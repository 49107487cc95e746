package io.parley.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.EngineCodec;
import io.parley.protocol.EnginePacket;
import io.parley.protocol.EngineType;
import io.parley.protocol.ProtocolException;
import io.parley.server.DisconnectReason;
import io.parley.server.engine.EngineConnection;
import io.parley.server.engine.EngineListener;
import io.parley.server.engine.RequestInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session. All state is confined to {@link #loop}: every entry point either runs
 * there or hops there first, so nothing here needs a lock.
 */
final class EngineSession implements EngineConnection {
  private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
  private static final byte[] NOOP = {'6'};
  private static final byte[] CLOSE = {'1'};
  private static final byte[] PING = {'2'};

  private enum State { OPEN, CLOSING, CLOSED }

  /** A parked long-polling GET. */
  record PendingGet(ChannelHandlerContext ctx, boolean keepAlive, String origin) {}

  private record Frame(byte[] data, boolean binary) {}

  /** Frames waiting for the next polling response, with their byte total kept as they come and go. */
  private static final class FrameQueue extends ArrayList<Frame> {
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

  final String sid;
  final EventLoop loop;
  private final EngineEndpoint endpoint;
  private final RequestInfo request;
  private EngineListener listener;
  private State state = State.OPEN;

  private Channel ws;
  /** Whether frames may be written pre-encoded (no WebSocket extension on {@link #ws}). */
  private boolean rawFrames;
  private PendingGet pendingGet;
  private final FrameQueue buffer = new FrameQueue();

  private Channel probe;
  private boolean upgrading;
  private ScheduledFuture<?> upgradeTimer;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> pongTimer;
  private ScheduledFuture<?> closingTimer;

  EngineSession(String sid, EventLoop loop, EngineEndpoint endpoint, RequestInfo request) {
    this.sid = sid;
    this.loop = loop;
    this.endpoint = endpoint;
    this.request = request;
  }

  /** Hands the session to the application; the handshake has been sent. */
  void start(EngineListener l) {
    this.listener = l;
    schedulePing();
  }

  void attachWebSocket(Channel ch) {
    this.ws = ch;
    this.rawFrames = true;
    for (var e : ch.pipeline()) {
      if (e.getValue() instanceof WebSocketExtensionEncoder) {
        rawFrames = false; // permessage-deflate: frames must go through the extension's encoder
      }
    }
    ch.closeFuture().addListener(f -> execute(() -> {
      if (ws == ch) {
        onClose("transport close");
      }
    }));
  }

  void execute(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      try {
        loop.execute(r);
      } catch (RejectedExecutionException e) {
        // The server is stopping and this session's loop is gone: so is the session. (Close
        // listeners of channels on other loops land here during shutdown.)
        log.debug("session {}: loop terminated, dropping a task", sid);
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
    if (loop.inEventLoop()) {
      doSend(packet, droppable);
    } else {
      execute(() -> doSend(packet, droppable));
    }
  }

  @Override
  public java.util.concurrent.Executor executor() {
    return loop;
  }

  @Override
  public void close() {
    execute(this::closeByServer);
  }

  /** Sends a raw binary Engine.IO message (the plain Engine.IO echo endpoint needs it). */
  void sendBinary(byte[] data) {
    execute(() -> {
      if (state == State.OPEN) {
        write(new Frame(data, true), true);
      }
    });
  }

  private void doSend(EncodedPacket p, boolean droppable) {
    if (state != State.OPEN) {
      return;
    }
    if (droppable && !writable()) {
      endpoint.metrics().volatileDropped();
      return;
    }
    long bytes = p.text().length;
    for (byte[] a : p.attachments()) {
      bytes += a.length;
    }
    endpoint.metrics().bytesOut(bytes);
    if (ws != null) {
      if (rawFrames) {
        for (ByteBuf f : WebSocketFrames.buffers(p)) {
          ws.write(f, ws.voidPromise());
        }
      } else {
        ws.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(p.text())), ws.voidPromise());
        for (byte[] a : p.attachments()) {
          ws.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(a)), ws.voidPromise());
        }
      }
      ChannelOutboundBuffer queued = ws.unsafe().outboundBuffer();
      if (queued != null && queued.totalPendingWriteBytes() > endpoint.options().maxBufferedBytes()) {
        slowClient(queued.totalPendingWriteBytes());
        return;
      }
      ws.flush();
    } else {
      buffer.add(new Frame(p.text(), false));
      for (byte[] a : p.attachments()) {
        buffer.add(new Frame(a, true));
      }
      if (pendingGet == null) {
        long queued = buffer.bytes();
        if (queued > endpoint.options().maxBufferedBytes()) {
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
        endpoint.options().maxBufferedBytes());
    buffer.clear();
    endpoint.metrics().slowClientDisconnected();
    onClose(DisconnectReason.SLOW_CLIENT);
  }

  private boolean writable() {
    return ws != null ? ws.isWritable() : pendingGet != null;
  }

  private void write(Frame f, boolean flush) {
    if (ws != null) {
      Object frame;
      if (rawFrames) {
        frame = Unpooled.wrappedBuffer(f.binary() ? WebSocketFrames.binary(f.data()) : WebSocketFrames.text(f.data()));
      } else {
        frame = f.binary()
            ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(f.data()))
            : new TextWebSocketFrame(Unpooled.wrappedBuffer(f.data()));
      }
      if (flush) {
        ws.writeAndFlush(frame, ws.voidPromise());
      } else {
        ws.write(frame, ws.voidPromise());
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
    FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, HttpResponses.TEXT, body);
    r.headers().set("Cache-Control", "no-store");
    endpoint.cors().apply(get.origin(), r.headers());
    HttpResponses.write(get.ctx(), get.keepAlive(), r);
  }

  // ---- polling ----

  void onPollGet(PendingGet get) {
    if (state == State.CLOSED || ws != null) {
      endpoint.error(get.ctx(), get.keepAlive(), get.origin(), EngineError.BAD_REQUEST);
      return;
    }
    if (pendingGet != null) {
      endpoint.error(get.ctx(), get.keepAlive(), get.origin(), EngineError.BAD_REQUEST);
      onClose("transport error");
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
    get.ctx().channel().closeFuture().addListener(f -> execute(() -> {
      if (pendingGet == get) {
        pendingGet = null;
        onClose("transport error");
      }
    }));
    flushPolling();
  }

  void onPollPost(ChannelHandlerContext ctx, boolean keepAlive, String origin, String body) {
    if (state == State.CLOSING && ws == null && hasClosePacket(body)) {
      // We are waiting for a GET to carry our close packet, but the client closed on its side
      // (e.g. after a DISCONNECT from disconnect(true)): the session ends now, not at the timer.
      ok(ctx, keepAlive, origin);
      finish();
      return;
    }
    if (state != State.OPEN || ws != null) {
      endpoint.error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
      return;
    }
    endpoint.metrics().bytesIn(body.length());
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(body);
    } catch (ProtocolException e) {
      log.debug("session {}: bad polling payload: {}", sid, e.getMessage());
      endpoint.error(ctx, keepAlive, origin, EngineError.BAD_REQUEST);
      onClose("parse error");
      return;
    }
    for (EnginePacket p : packets) {
      onPacket(p);
    }
    ok(ctx, keepAlive, origin);
  }

  private void ok(ChannelHandlerContext ctx, boolean keepAlive, String origin) {
    FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, HttpResponses.HTML,
        "ok".getBytes(StandardCharsets.US_ASCII));
    endpoint.cors().apply(origin, r.headers());
    HttpResponses.write(ctx, keepAlive, r);
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
  void onWsText(Channel ch, byte[] utf8) {
    if (ch == probe && probe != null && state != State.CLOSED) {
      // An upgrade in progress completes even when the server is closing the session: the client
      // has paused polling, so the queued packets and the close packet must go over the WebSocket.
      onProbeText(ch, new String(utf8, StandardCharsets.UTF_8));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    endpoint.metrics().bytesIn(utf8.length);
    if (ch != ws) {
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
      onClose("parse error");
    }
  }

  /** The WebSocket broke the protocol (an oversized or corrupt frame); its handler closes it. */
  void onWsError(Channel ch) {
    if (ch == ws && state == State.OPEN) {
      ws = null;
      onClose("transport error");
    }
  }

  void onWsBinary(Channel ch, byte[] data) {
    if (state == State.OPEN && ch == ws) {
      endpoint.metrics().bytesIn(data.length);
      onPacket(new EnginePacket.Binary(data));
    }
  }

  /** A WebSocket asks to take over this polling session. */
  boolean startUpgrade(Channel ch) {
    if (state != State.OPEN || ws != null || probe != null) {
      return false;
    }
    probe = ch;
    upgradeTimer = loop.schedule(() -> {
      if (probe == ch) {
        log.debug("session {}: upgrade timed out", sid);
        probe = null;
        upgrading = false;
        ch.close();
      }
    }, endpoint.options().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ch.closeFuture().addListener(f -> execute(() -> {
      if (probe == ch) {
        probe = null;
        upgrading = false;
        upgradeTimer.cancel(false);
      }
    }));
    return true;
  }

  private void onProbeText(Channel ch, String text) {
    if ("2probe".equals(text)) {
      ch.writeAndFlush(new TextWebSocketFrame("3probe"));
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
      attachWebSocket(ch);
      for (Frame f : buffer) {
        write(f, false);
      }
      buffer.clear();
      ws.flush();
      listener.onUpgrade("websocket");
      if (state == State.CLOSING) {
        // The server closed the session meanwhile: what was queued (its close packet last) went out.
        Channel c = ws;
        ws = null;
        WebSocketClosing.close(c, WebSocketCloseStatus.NORMAL_CLOSURE);
        finish();
      }
    } else {
      log.debug("session {}: unexpected packet during upgrade: {}", sid, text);
      probe = null;
      upgrading = false;
      upgradeTimer.cancel(false);
      ch.close();
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
          case CLOSE -> onClose("transport close");
          case NOOP -> { }
          case OPEN, PING, UPGRADE -> {
            log.debug("session {}: unexpected {} packet", sid, t.type());
            onClose("parse error");
          }
        }
      }
    }
  }

  private void schedulePing() {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    long interval = endpoint.options().pingInterval().toMillis();
    pingTimer = loop.schedule(() -> {
      if (state != State.OPEN) {
        return;
      }
      write(new Frame(PING, false), true);
      pongTimer = loop.schedule(() -> onClose("ping timeout"),
          endpoint.options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }, interval, TimeUnit.MILLISECONDS);
  }

  // ---- closing ----

  /** Server-initiated close: deliver what is queued, then the close packet. */
  private void closeByServer() {
    if (state != State.OPEN) {
      return;
    }
    if (ws != null) {
      ws.flush();
      Channel ch = ws;
      ws = null;
      WebSocketClosing.close(ch, WebSocketCloseStatus.NORMAL_CLOSURE);
      onClose("forced close");
      return;
    }
    buffer.add(new Frame(CLOSE, false));
    if (pendingGet != null) {
      flushPolling();
      onClose("forced close");
      return;
    }
    // Wait (bounded) for the client's next GET to hand it the queued packets and the close packet.
    state = State.CLOSING;
    cancelTimers();
    notifyClosed("forced close");
    closingTimer = loop.schedule(this::finish, endpoint.options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes at once: the session leaves the table now, so later requests get 400. */
  void onClose(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.OPEN && ws == null && pendingGet == null && "transport close".equals(reason)) {
      // The client's close packet came by POST before its GET reached us: that GET still gets its
      // noop, then the session is gone.
      buffer.clear();
      buffer.add(new Frame(NOOP, false));
      state = State.CLOSING;
      cancelTimers();
      notifyClosed(reason);
      closingTimer = loop.schedule(this::finish, 1, TimeUnit.SECONDS);
      return;
    }
    if (pendingGet != null) {
      PendingGet get = pendingGet;
      pendingGet = null;
      respond(get, "transport close".equals(reason) ? NOOP : CLOSE);
    }
    buffer.clear();
    if (ws != null) {
      Channel ch = ws;
      ws = null;
      WebSocketClosing.close(ch, WebSocketCloseStatus.NORMAL_CLOSURE);
    }
    if (probe != null) {
      probe.close();
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
    endpoint.remove(this);
  }

  private boolean notified;

  private void notifyClosed(String reason) {
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
