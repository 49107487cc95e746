package io.parley.servlet.internal;

import io.parley.protocol.EncodedPacket;
import io.parley.server.engine.EngineExecutor;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO WebSocket on Jakarta WebSocket: the endpoint the container opens after the
 * upgrade, and the engine's {@link WebSocketSink}. Sends are asynchronous, one at a time (the
 * container allows no more), from a queue the session's loop fills; {@link #queuedBytes()} is
 * what waits in it, so a client that does not read is found by the engine's slow-client limit.
 * Public only because containers (Jetty) insist that an endpoint class be: the package is not
 * exported.
 */
public final class JakartaWebSocket extends Endpoint implements WebSocketSink {
  private static final Logger log = LoggerFactory.getLogger(JakartaWebSocket.class);
  /** Above this many queued bytes the socket reports itself not writable ({@code volatile} packets drop). */
  private static final long HIGH_WATER = 64 * 1024;

  private final EngineExecutor loop;
  private final int maxMessageBytes;
  private final String firstMessage;
  private final Function<WebSocketSink, WebSocketHandler> open;
  private volatile Session session;
  private volatile WebSocketHandler handler;

  private record Frame(byte[] data, boolean binary) {}

  private final ArrayDeque<Frame> pending = new ArrayDeque<>(); // guarded by this
  private final ArrayDeque<Frame> flushed = new ArrayDeque<>(); // guarded by this
  private long queued; // guarded by this
  private boolean sending; // guarded by this
  private Frame inFlight; // guarded by this
  private boolean closing; // guarded by this
  private int closeStatus; // guarded by this

  public JakartaWebSocket(EngineExecutor loop, int maxMessageBytes, String firstMessage,
      Function<WebSocketSink, WebSocketHandler> open) {
    this.loop = loop;
    this.maxMessageBytes = maxMessageBytes;
    this.firstMessage = firstMessage;
    this.open = open;
  }

  @Override
  public void onOpen(Session s, EndpointConfig config) {
    this.session = s;
    s.setMaxTextMessageBufferSize(maxMessageBytes);
    s.setMaxBinaryMessageBufferSize(maxMessageBytes);
    s.setMaxIdleTimeout(0); // Engine.IO's heartbeat decides when a silent client is gone
    if (firstMessage != null) {
      sendText(firstMessage.getBytes(StandardCharsets.UTF_8));
      flush();
    }
    // The engine opens the session on its loop; frames arriving meanwhile wait for the handler.
    handler = CompletableFuture.supplyAsync(() -> open.apply(this), loop).join();
    s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
        handler.onText(text.getBytes(StandardCharsets.UTF_8)));
    s.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) b -> {
      byte[] data = new byte[b.remaining()];
      b.get(data);
      handler.onBinary(data);
    });
  }

  @Override
  public void onClose(Session s, CloseReason reason) {
    WebSocketHandler h = handler;
    if (h != null) {
      h.onClosed();
    }
  }

  @Override
  public void onError(Session s, Throwable t) {
    log.debug("websocket error: {}", t.toString());
    WebSocketHandler h = handler;
    if (h != null) {
      h.onError(); // the container closes the socket (1009 for a message over the limit)
    }
  }

  // ---- WebSocketSink ----

  @Override
  public void send(EncodedPacket p) {
    sendText(p.text());
    for (byte[] a : p.attachments()) {
      sendBinary(a);
    }
  }

  @Override
  public synchronized void sendText(byte[] utf8) {
    pending.add(new Frame(utf8, false));
    queued += utf8.length;
  }

  @Override
  public synchronized void sendBinary(byte[] data) {
    pending.add(new Frame(data, true));
    queued += data.length;
  }

  @Override
  public void flush() {
    Frame first;
    synchronized (this) {
      flushed.addAll(pending);
      pending.clear();
      if (sending || flushed.isEmpty()) {
        return;
      }
      sending = true;
      first = flushed.poll();
      inFlight = first;
    }
    write(first);
  }

  private final SendHandler onSent = this::sent;

  private void write(Frame f) {
    Session s = session;
    if (f.binary()) {
      s.getAsyncRemote().sendBinary(ByteBuffer.wrap(f.data()), onSent);
    } else {
      s.getAsyncRemote().sendText(new String(f.data(), StandardCharsets.UTF_8), onSent);
    }
  }

  private void sent(SendResult result) {
    Frame next;
    int status = 0;
    synchronized (this) {
      if (!result.isOK()) {
        flushed.clear();
        pending.clear();
        queued = 0;
        sending = false;
        inFlight = null;
        return;
      }
      queued -= inFlight.data().length;
      next = flushed.poll();
      inFlight = next;
      if (next == null) {
        sending = false;
        if (closing) {
          status = closeStatus;
        }
      }
    }
    if (next != null) {
      write(next);
    } else if (status != 0) {
      closeNow(status);
    }
  }

  @Override
  public synchronized boolean writable() {
    return queued < HIGH_WATER;
  }

  @Override
  public synchronized long queuedBytes() {
    return queued;
  }

  @Override
  public void close(int status) {
    flush();
    synchronized (this) {
      if (sending) {
        closing = true;
        closeStatus = status;
        return;
      }
    }
    closeNow(status);
  }

  private void closeNow(int status) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(status), ""));
    } catch (IOException e) {
      log.debug("closing a websocket: {}", e.toString());
    }
  }

  @Override
  public void terminate() {
    try {
      session.close();
    } catch (IOException e) {
      log.debug("closing a websocket: {}", e.toString());
    }
  }
}
