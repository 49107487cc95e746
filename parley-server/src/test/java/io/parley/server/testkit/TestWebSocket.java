package io.parley.server.testkit;

import io.parley.protocol.EncodedPacket;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory WebSocket: the engine's sink records the frames it flushes (text as strings, binary
 * as {@code byte[]}), and the test plays the client through the engine's handler.
 */
public final class TestWebSocket implements WebSocketSink {
  WebSocketHandler handler;
  private final List<Object> queued = new ArrayList<>();
  private final List<Object> flushed = new ArrayList<>();
  private boolean writable = true;
  private long queuedBytes;
  private Integer closeStatus;
  private boolean terminated;

  @Override
  public synchronized void send(EncodedPacket packet) {
    sendText(packet.text());
    for (byte[] a : packet.attachments()) {
      sendBinary(a);
    }
  }

  @Override
  public synchronized void sendText(byte[] utf8) {
    queued.add(new String(utf8, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void sendBinary(byte[] data) {
    queued.add(data);
  }

  @Override
  public synchronized void flush() {
    flushed.addAll(queued);
    queued.clear();
  }

  @Override
  public synchronized boolean writable() {
    return writable;
  }

  @Override
  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  @Override
  public synchronized void close(int status) {
    flush();
    closeStatus = status;
  }

  @Override
  public synchronized void terminate() {
    terminated = true;
  }

  /** The client sends a text frame. */
  public void clientText(String text) {
    handler.onText(text.getBytes(StandardCharsets.UTF_8));
  }

  public void clientBinary(byte[] data) {
    handler.onBinary(data);
  }

  /** The socket closes under the engine (the client went away). */
  public void clientClose() {
    handler.onClosed();
  }

  /** Simulates a client that does not read: writes pile up to {@code bytes}, and the socket is not writable. */
  public synchronized void stall(long bytes) {
    writable = false;
    queuedBytes = bytes;
  }

  /** The frames flushed so far (text as String, binary as byte[]), emptied by this call. */
  public synchronized List<Object> take() {
    List<Object> out = List.copyOf(flushed);
    flushed.clear();
    return out;
  }

  /** The close status of the server's closing handshake, or null. */
  public synchronized Integer closeStatus() {
    return closeStatus;
  }

  public synchronized boolean terminated() {
    return terminated;
  }
}
