package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.protocol.EncodedPacket;
import io.parley.protocol.PacketType;
import io.parley.protocol.ProtocolException;
import io.parley.protocol.SocketCodec;
import io.parley.protocol.SocketPacket;
import io.parley.server.engine.EngineConnection;
import io.parley.server.engine.EngineListener;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of one Engine.IO connection: decodes packets and routes them to the socket
 * of their namespace. Decoding happens on the connection's thread; handlers run on each socket's
 * mailbox.
 */
final class Client implements EngineListener {
  private static final Logger log = LoggerFactory.getLogger(Client.class);

  private final SocketIoServer server;
  private final EngineConnection conn;
  private final SocketCodec.Decoder decoder;
  /** Namespace name to socket: an immutable value replaced under the client's lock (usually one entry). */
  private volatile Map<String, Socket> sockets = Map.of();
  private volatile ScheduledFuture<?> connectTimer; // null once cancelled: nothing kept per idle connection
  private volatile boolean closed;

  Client(SocketIoServer server, EngineConnection conn) {
    this.server = server;
    this.conn = conn;
    this.decoder = server.codec().new Decoder(server.options().maxAttachments(), server.options().maxPayloadDepth());
    server.metrics().connectionOpened();
    long timeout = server.options().connectTimeout().toMillis();
    // On the connection's own thread: no lock shared with every other connection and no wake-up
    // of the server's timer thread per connection.
    this.connectTimer = conn.executor().schedule(() -> {
      // as the reference: only a socket that passed the middlewares counts as joined
      if (!closed && sockets.values().stream().noneMatch(Socket::connected)) {
        log.debug("no namespace joined within {} ms, closing {}", timeout, conn.id());
        conn.close();
      }
    }, timeout, TimeUnit.MILLISECONDS);
  }

  EngineConnection connection() {
    return conn;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void onText(String data) {
    SocketPacket p;
    try {
      p = decoder.decodeText(data);
    } catch (ProtocolException e) {
      onParseError(e);
      return;
    }
    if (p != null) {
      route(p);
    }
  }

  @Override
  public void onText(byte[] utf8, int off, int len) {
    SocketPacket p;
    try {
      p = decoder.decodeText(utf8, off, len);
    } catch (ProtocolException e) {
      onParseError(e);
      return;
    }
    if (p != null) {
      route(p);
    }
  }

  @Override
  public void onBinary(byte[] data) {
    SocketPacket p;
    try {
      p = decoder.decodeBinary(data);
    } catch (ProtocolException e) {
      onParseError(e);
      return;
    }
    if (p != null) {
      route(p);
    }
  }

  private void onParseError(ProtocolException e) {
    log.debug("closing {}: {}", conn.id(), e.getMessage());
    closeSockets(DisconnectReason.PARSE_ERROR);
    conn.close();
  }

  private void route(SocketPacket p) {
    Socket socket = sockets.get(p.nsp());
    if (p.type() == PacketType.CONNECT && socket == null) {
      connect(p.nsp(), p.data());
    } else if (socket != null && p.type() != PacketType.CONNECT && p.type() != PacketType.CONNECT_ERROR) {
      socket.onPacket(p);
    } else if (p.type() == PacketType.DISCONNECT) {
      log.debug("DISCONNECT for {} which is not connected; ignored", p.nsp());
    } else if (p.type() == PacketType.CONNECT) {
      // A second CONNECT for a namespace this connection has joined or is joining: socket.io-client
      // sends one on a redundant connect(). The reference, which decodes both before the first
      // completes, runs a second attempt and keeps the connection; here the first may already be
      // done, so the duplicate is dropped rather than treated as an invalid state.
      log.debug("second CONNECT for {}; ignored", p.nsp());
    } else {
      log.debug("invalid state ({} for {}), closing {}", p.type(), p.nsp(), conn.id());
      closeSockets(DisconnectReason.PARSE_ERROR);
      conn.close();
    }
  }

  private void connect(String name, JsonNode auth) {
    Namespace nsp = server.namespaceFor(name);
    if (nsp == null) {
      write(server.codec().encode(PacketType.CONNECT_ERROR, name, -1, Map.of("message", "Invalid namespace")), false);
      return;
    }
    if (sockets.size() >= server.options().maxNamespacesPerConnection()) {
      write(server.codec().encode(PacketType.CONNECT_ERROR, name, -1,
          Map.of("message", "Too many namespaces on one connection")), false);
      return;
    }
    Socket socket = new Socket(nsp, this, auth);
    synchronized (this) {
      Map<String, Socket> m = new HashMap<>(sockets);
      m.put(name, socket);
      sockets = Map.copyOf(m);
    }
    socket.connect();
  }

  /** {@code socket} passed the middlewares and joined its namespace: the connection may stay. */
  void joined() {
    cancelConnectTimer();
  }

  private void cancelConnectTimer() {
    ScheduledFuture<?> t = connectTimer;
    if (t != null) {
      t.cancel(false);
      connectTimer = null;
    }
  }

  /** A middleware refused {@code socket}: tell the client why and forget the socket. */
  void refuse(Socket socket, Exception e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (e instanceof ConnectError ce && ce.data() != null) {
      body.put("data", ce.data());
    }
    remove(socket);
    write(server.codec().encode(PacketType.CONNECT_ERROR, socket.nsp().name(), -1, body), false);
  }

  synchronized void remove(Socket socket) {
    if (sockets.get(socket.nsp().name()) == socket) {
      Map<String, Socket> m = new HashMap<>(sockets);
      m.remove(socket.nsp().name());
      sockets = Map.copyOf(m);
    }
  }

  void write(EncodedPacket packet, boolean droppable) {
    if (!closed) {
      conn.send(packet, droppable);
    }
  }

  /** Server-side {@code disconnect(true)}: every namespace, then the connection. */
  void disconnectAll() {
    for (Socket s : sockets.values()) {
      s.disconnect(false);
    }
    conn.close();
  }

  void close(DisconnectReason reason) {
    closeSockets(reason);
    conn.close();
  }

  private void closeSockets(DisconnectReason reason) {
    for (Socket s : sockets.values()) {
      s.onClose(reason);
    }
  }

  @Override
  public void onUpgrade(String transport) {
    ServerObserver[] obs = server.observers();
    if (obs.length > 0) {
      for (Socket s : sockets.values()) {
        if (s.connected()) {
          SocketIoServer.notify(obs, o -> o.transportChanged(s, transport));
        }
      }
    }
  }

  @Override
  public void onClose(DisconnectReason reason) {
    server.metrics().connectionClosed(reason);
    closed = true;
    cancelConnectTimer();
    closeSockets(reason);
    synchronized (this) {
      sockets = Map.of();
    }
    server.forget(this);
  }
}
