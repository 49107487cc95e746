package io.parley.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of the WebSocket closing handshake (RFC 6455 section 7): the close frame,
 * then a half-close, then the socket once the client has closed its side or after a short linger.
 * Closing the socket at once would make the kernel answer data still in flight from the client
 * with a reset, which can destroy the close frame (and its status code) before the client reads it.
 */
final class WebSocketClosing {
  /** How long the server keeps reading (and discarding) after its close frame. */
  static final long LINGER_MILLIS = 1_000;

  private WebSocketClosing() {
  }

  static void close(Channel ch, WebSocketCloseStatus status) {
    if (!ch.isActive()) {
      ch.close();
      return;
    }
    ch.writeAndFlush(new CloseWebSocketFrame(status)).addListener(f -> {
      if (!f.isSuccess()) {
        ch.close();
      } else if (ch instanceof DuplexChannel d) {
        d.shutdownOutput(); // FIN after the close frame; the client's FIN then closes the channel
      }
    });
    ch.eventLoop().schedule(() -> {
      ch.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }
}
