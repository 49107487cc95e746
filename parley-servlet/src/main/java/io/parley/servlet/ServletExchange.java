package io.parley.servlet;

import io.parley.server.engine.EngineExecutor;
import io.parley.server.engine.HttpExchange;
import io.parley.server.engine.WebSocketHandler;
import io.parley.server.engine.WebSocketSink;
import io.parley.servlet.internal.JakartaWebSocket;
import io.parley.server.http.HttpResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to the Engine.IO endpoint in a container. A polling request is asynchronous (a
 * parked GET holds no container thread) and its answer is written without blocking
 * ({@link WriteListener}); a WebSocket request stays on the container's thread until the engine
 * has decided, then is upgraded through Jakarta WebSocket's {@code upgradeHttpToWebSocket}.
 */
final class ServletExchange implements HttpExchange {
  private static final Logger log = LoggerFactory.getLogger(ServletExchange.class);

  private final HttpServletRequest req;
  private final HttpServletResponse resp;
  private final AsyncContext async; // null for a WebSocket request
  private final EngineExecutor loop;
  private final ServerContainer websockets;
  private final Answers answers;
  private volatile Runnable onClose;
  private volatile boolean answered;
  private volatile boolean bodyLeftUnread;
  private boolean completed; // guarded by this
  private boolean counted; // guarded by this

  ServletExchange(HttpServletRequest req, HttpServletResponse resp, AsyncContext async, EngineExecutor loop,
      ServerContainer websockets, Answers answers) {
    this.req = req;
    this.resp = resp;
    this.async = async;
    this.loop = loop;
    this.websockets = websockets;
    this.answers = answers;
    if (async != null) {
      async.addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent e) {
          boolean wasCounted;
          synchronized (ServletExchange.this) {
            completed = true;
            wasCounted = counted;
          }
          if (wasCounted) {
            answers.done();
          }
        }

        @Override
        public void onTimeout(AsyncEvent e) {
          closed();
          e.getAsyncContext().complete();
        }

        @Override
        public void onError(AsyncEvent e) {
          closed();
        }

        @Override
        public void onStartAsync(AsyncEvent e) {}
      });
    }
  }

  /**
   * The request's body is left partly unread (over the endpoint's limit): the answer asks for the
   * connection to close, since what the client still sends cannot be told from its next request.
   */
  void leaveBodyUnread() {
    bodyLeftUnread = true;
  }

  private void closed() {
    Runnable r = onClose;
    if (r != null && !answered) {
      onClose = null;
      r.run();
    }
  }

  @Override
  public EngineExecutor executor() {
    return loop;
  }

  @Override
  public void onClose(Runnable r) {
    onClose = r;
  }

  @Override
  public void respond(HttpResponse r) {
    answered = true;
    onClose = null;
    if (async != null) {
      synchronized (this) {
        if (!completed && !counted) {
          counted = true;
          answers.started(); // done when the container completes the response
        }
      }
    }
    resp.setStatus(r.status());
    r.forEachHeader(resp::addHeader);
    if (bodyLeftUnread) {
      resp.setHeader("Connection", "close");
    }
    byte[] body = r.body();
    if (r.header("Content-Length") == null) {
      resp.setContentLength(body.length);
    }
    try {
      if (async == null) {
        resp.getOutputStream().write(body); // the WebSocket request's error answer, on the container's thread
        return;
      }
      ServletOutputStream out = resp.getOutputStream();
      out.setWriteListener(new WriteListener() {
        private boolean done;

        @Override
        public void onWritePossible() throws IOException {
          if (!done && out.isReady()) {
            done = true;
            out.write(body); // the container buffers what the socket does not take at once
          }
          if (done && out.isReady()) {
            async.complete();
          }
        }

        @Override
        public void onError(Throwable t) {
          log.debug("writing a response: {}", t.toString());
          async.complete();
        }
      });
    } catch (IOException | IllegalStateException e) {
      log.debug("answering {}: {}", req.getRequestURI(), e.toString());
      if (async != null) {
        async.complete();
      }
    }
  }

  @Override
  public void upgrade(int maxMessageBytes, String firstMessage, Function<WebSocketSink, WebSocketHandler> open) {
    if (async != null || websockets == null) {
      respond(HttpResponse.text(400, "WebSocket not available"));
      return;
    }
    JakartaWebSocket endpoint = new JakartaWebSocket(loop, maxMessageBytes, firstMessage, open);
    ServerEndpointConfig config = ServerEndpointConfig.Builder.create(JakartaWebSocket.class, req.getRequestURI())
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(endpoint);
          }
        }).build();
    try {
      websockets.upgradeHttpToWebSocket(req, resp, config, Map.of());
    } catch (IOException | DeploymentException e) {
      log.debug("websocket upgrade failed: {}", e.toString());
      respond(HttpResponse.text(400, "Bad Request"));
    }
  }
}
