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
import java.io.ByteArrayOutputStream;
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
 *
 * <p>A frame goes to the container only once the previous one is acknowledged <em>and</em> the
 * call that handed it over has returned: Jetty marks a message complete when its send call
 * returns, which may be after the acknowledgement has run on another thread (or inside the call),
 * and refuses the next frame until then ("Cannot start BINARY message when TEXT message is not
 * complete yet"). Whichever comes last, the return or the acknowledgement, sends the next frame.
 * Public only because containers (Jetty) insist that an endpoint class be: the package is not
 * exported.
 */
public final class JakartaWebSocket extends Endpoint implements WebSocketSink {
  private static final Logger log = LoggerFactory.getLogger(JakartaWebSocket.class);
  /** Above this many queued bytes the socket reports itself not writable ({@code volatile} packets drop). */
  private static final long HIGH_WATER = 64 * 1024;
  /** The container's message buffers, per session: most Socket.IO packets fit, longer ones come in parts. */
  private static final int PART_BUFFER = 2048;

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
  /** A frame is with the container and not acknowledged yet. */
  private boolean sending; // guarded by this
  private Frame inFlight; // guarded by this
  /** The thread inside the container's send call, if any. */
  private Thread writer; // guarded by this
  /** Close once the flushed frames are out, with {@link #closeStatus}. */
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
    // The container hands messages over in parts, put together below up to maxHttpBufferSize. Its
    // message buffers are only the size of a part: Tomcat allocates them per session at the size set
    // here (text at 2 bytes per character), 24 KB by default and 3 MB at maxHttpBufferSize.
    s.setMaxTextMessageBufferSize(PART_BUFFER);
    s.setMaxBinaryMessageBufferSize(PART_BUFFER);
    s.setMaxIdleTimeout(0); // Engine.IO's heartbeat decides when a silent client is gone
    if (firstMessage != null) {
      sendText(firstMessage.getBytes(StandardCharsets.UTF_8));
      flush();
    }
    // The engine opens the session on its loop; frames arriving meanwhile wait for the handler.
    handler = CompletableFuture.supplyAsync(() -> open.apply(this), loop).join();
    s.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onTextPart);
    s.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinaryPart);
  }

  // ---- incoming messages, put together from the container's parts (one message at a time) ----

  /** The text parts of the message under way, or null. */
  private StringBuilder text;
  /** The binary parts of the message under way, or null. */
  private ByteArrayOutputStream binary;
  /** UTF-8 bytes of the message under way so far. */
  private long partBytes;
  /** The message under way went over the limit: its remaining parts are dropped. */
  private boolean oversized;

  private void onTextPart(String part, boolean last) {
    if (!oversized && (partBytes += utf8Length(part)) > maxMessageBytes) {
      tooBig();
    }
    if (oversized) {
      endPart(last);
      return;
    }
    if (last && text == null) {
      partBytes = 0;
      handler.onText(part.getBytes(StandardCharsets.UTF_8)); // a message in one part: no copy
      return;
    }
    (text == null ? text = new StringBuilder() : text).append(part);
    if (last) {
      // whole, so that a surrogate pair split between two parts encodes as one character
      byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
      text = null;
      partBytes = 0;
      handler.onText(utf8);
    }
  }

  private void onBinaryPart(ByteBuffer part, boolean last) {
    if (!oversized && (partBytes += part.remaining()) > maxMessageBytes) {
      tooBig();
    }
    if (oversized) {
      endPart(last);
      return;
    }
    if (last && binary == null) {
      partBytes = 0;
      byte[] data = new byte[part.remaining()];
      part.get(data);
      handler.onBinary(data);
      return;
    }
    if (binary == null) {
      binary = new ByteArrayOutputStream();
    }
    byte[] chunk = new byte[part.remaining()];
    part.get(chunk);
    binary.writeBytes(chunk);
    if (last) {
      byte[] data = binary.toByteArray();
      binary = null;
      partBytes = 0;
      handler.onBinary(data);
    }
  }

  /** A message over maxHttpBufferSize (in UTF-8 bytes for text): the socket closes with 1009, as on Netty. */
  private void tooBig() {
    oversized = true;
    text = null;
    binary = null;
    handler.onError();
    closeNow(CloseReason.CloseCodes.TOO_BIG.getCode());
  }

  private void endPart(boolean last) {
    if (last) {
      oversized = false;
      partBytes = 0;
    }
  }

  /** The UTF-8 length of {@code s} (a surrogate counts 2: a pair is 4). */
  private static long utf8Length(String s) {
    long n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return n;
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
      h.onError(); // the container closes the socket
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
    synchronized (this) {
      flushed.addAll(pending);
      pending.clear();
    }
    pump();
  }

  /**
   * Hands the flushed frames to the container, one at a time, on this thread while each is
   * acknowledged within its send call; returns as soon as one is left in flight (its
   * acknowledgement continues), or when there is nothing to send. Closes once the queue is empty
   * if {@link #close} asked to.
   */
  private void pump() {
    while (true) {
      Frame f;
      int close = 0;
      synchronized (this) {
        if (sending || writer != null) {
          return; // whoever holds the frame in flight continues
        }
        f = flushed.poll();
        if (f != null) {
          sending = true;
          inFlight = f;
          writer = Thread.currentThread();
        } else if (closing) {
          closing = false;
          close = closeStatus;
        } else {
          return;
        }
      }
      if (f == null) {
        closeNow(close);
        return;
      }
      write(f);
      synchronized (this) {
        writer = null;
        if (sending) {
          return; // not acknowledged yet: sent() continues
        }
      }
    }
  }

  private final SendHandler onSent = this::sent;

  private void write(Frame f) {
    try {
      if (f.binary()) {
        session.getAsyncRemote().sendBinary(ByteBuffer.wrap(f.data()), onSent);
      } else {
        session.getAsyncRemote().sendText(new String(f.data(), StandardCharsets.UTF_8), onSent);
      }
    } catch (RuntimeException e) { // a session the container has closed meanwhile
      failed(e);
    }
  }

  /** The container is done with the frame in flight (on any thread, possibly inside {@link #write}). */
  private void sent(SendResult result) {
    if (!result.isOK()) {
      failed(result.getException());
      return;
    }
    synchronized (this) {
      if (inFlight != null) {
        queued -= inFlight.data().length;
        inFlight = null;
      }
      sending = false;
      if (writer != null) {
        return; // the send call has not returned yet: its thread continues (pump)
      }
    }
    pump();
  }

  /** A send failed: the socket is broken. What waits is dropped and the socket closed. */
  private void failed(Throwable t) {
    log.debug("websocket send failed: {}", String.valueOf(t));
    synchronized (this) {
      flushed.clear();
      pending.clear();
      queued = 0;
      sending = false;
      inFlight = null;
      closing = false;
    }
    terminate();
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
    synchronized (this) {
      flushed.addAll(pending);
      pending.clear();
      closing = true;
      closeStatus = status;
    }
    pump();
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
