package io.parley.servlet;

import io.parley.server.ServerMetrics;
import io.parley.server.SocketIoServer;
import io.parley.server.engine.Engine;
import io.parley.server.engine.EngineHandler;
import io.parley.server.engine.EngineOptions;
import io.parley.server.http.HttpResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * Parley inside a Servlet 6 container, on the application's own port: mount it at the Engine.IO
 * path ({@code /socket.io/*} by default) with async support, next to the application's servlets.
 * Long-polling runs on asynchronous servlets with non-blocking reads and writes; WebSocket goes
 * through the container's Jakarta WebSocket 2.1 implementation.
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer(ServerOptions.DEFAULT);
 * io.onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
 * ServletRegistration.Dynamic reg = servletContext.addServlet("parley", new ParleyServlet(io, EngineOptions.DEFAULT));
 * reg.setAsyncSupported(true);
 * reg.addMapping("/socket.io/*");
 * }</pre>
 *
 * <p>More Engine.IO endpoints (a raw Engine.IO service, as {@code ParleyServer.Builder.endpoint}
 * mounts on Netty) are servlets of their own: {@link #endpoint}, mapped at their path.
 */
public final class ParleyServlet extends HttpServlet implements AutoCloseable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final transient SocketIoServer io; // null for a raw Engine.IO endpoint
  private final transient Engine engine;
  private final transient ServletLoops loops;
  private final transient Answers answers = new Answers();
  private transient ServerContainer websockets;
  private transient volatile boolean closed; // set under this

  /** Serves {@code io} with the Engine.IO {@code options} (their {@code path} must match the servlet's mapping). */
  public ParleyServlet(SocketIoServer io, EngineOptions options) {
    this(io, new Engine(options, io, io::metrics));
  }

  private ParleyServlet(SocketIoServer io, Engine engine) {
    this.io = io;
    this.engine = engine;
    this.loops = new ServletLoops(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A raw Engine.IO endpoint: each connection to {@code options.path()} goes to {@code handler}
   * (an {@code EchoHandler}, a service of its own, or a wrapper around a {@code SocketIoServer}).
   * Map it at {@code options.path() + "*"} with async support, like the Socket.IO servlet; its
   * sessions live on threads of its own and end when it is closed. It reports no metrics.
   *
   * @param options the endpoint's options, its own path among them
   * @param handler takes each new connection
   * @return the servlet, not yet registered
   */
  public static ParleyServlet endpoint(EngineOptions options, EngineHandler handler) {
    return new ParleyServlet(null, new Engine(options, handler, () -> ServerMetrics.NONE));
  }

  /**
   * The Socket.IO server this servlet carries.
   *
   * @throws IllegalStateException for a raw Engine.IO {@link #endpoint}, which carries none
   */
  public SocketIoServer io() {
    if (io == null) {
      throw new IllegalStateException("a raw Engine.IO endpoint (" + engine.options().path() + ") has no Socket.IO server");
    }
    return io;
  }

  /** The Engine.IO options this servlet serves with: map it at {@code options().path() + "*"}. */
  public EngineOptions options() {
    return engine.options();
  }

  /** Number of open Engine.IO sessions of this servlet's endpoint. */
  public int sessionCount() {
    return engine.sessionCount();
  }

  @Override
  public void init() {
    Object c = getServletContext().getAttribute(ServerContainer.class.getName());
    websockets = c instanceof ServerContainer sc ? sc : null;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if ((closed || io != null && io.isClosing()) && isHandshake(req)) {
      // io.close() (or close(), for a raw endpoint) has disconnected everyone; the container may
      // serve a while longer (a graceful shutdown): no new session on a closed server (requests of
      // closed sessions still get their close packet or 400 from the engine)
      resp.setStatus(503);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write("Server shutting down");
      return;
    }
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      // The upgrade must be asked for on this thread, before service returns.
      ServletExchange ex = new ServletExchange(req, resp, null, loops.next(), websockets, answers);
      engine.handle(new ServletHttpRequest(req, new byte[0]), ex);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(engine.options().pingInterval().plus(engine.options().pingTimeout()).toMillis() + 10_000);
    ServletExchange ex = new ServletExchange(req, resp, async, loops.next(), websockets, answers);
    if (!"POST".equals(req.getMethod())) {
      dispatch(new ServletHttpRequest(req, new byte[0]), ex);
      return;
    }
    // The body is read without blocking, and no further than one chunk past the endpoint's limit:
    // the engine answers an oversized body (413, with the endpoint's CORS headers) as on Netty.
    int limit = engine.options().maxHttpBufferSize();
    ServletInputStream in = req.getInputStream();
    in.setReadListener(new ReadListener() {
      private final ByteArrayOutputStream body = new ByteArrayOutputStream();
      private final byte[] chunk = new byte[8192];
      private boolean dispatched;

      @Override
      public void onDataAvailable() throws IOException {
        while (!dispatched && in.isReady() && !in.isFinished()) {
          int n = in.read(chunk);
          if (n < 0) {
            break;
          }
          body.write(chunk, 0, n);
          if (body.size() > limit) {
            ex.leaveBodyUnread(); // the rest is not read, and the connection not reused
            done();
            return;
          }
        }
      }

      @Override
      public void onAllDataRead() {
        done();
      }

      private void done() {
        if (!dispatched) {
          dispatched = true;
          dispatch(new ServletHttpRequest(req, body.toByteArray()), ex);
        }
      }

      @Override
      public void onError(Throwable t) {
        async.complete();
      }
    });
  }

  /** Whether the request opens a session (no {@code sid} in its query). */
  private static boolean isHandshake(HttpServletRequest req) {
    String q = req.getQueryString();
    return q == null || !(q.startsWith("sid=") || q.contains("&sid="));
  }

  /** Hands a polling request to the engine on its session loop; 503 once the servlet is stopping. */
  private void dispatch(ServletHttpRequest request, ServletExchange ex) {
    try {
      ex.executor().execute(() -> engine.handle(request, ex));
    } catch (RejectedExecutionException e) {
      ex.respond(HttpResponse.text(503, "Server shutting down"));
    }
  }

  /** Disconnects every socket and stops the session threads (see {@link #close}). */
  @Override
  public void destroy() {
    close();
  }

  /**
   * Disconnects every socket ({@link SocketIoServer#close()}, for the Socket.IO servlet), lets the
   * close packets that queues reach the container, stops the session threads, then waits (a second
   * at most) for the container to complete the polling answers under way, so that they are on the
   * wire before it stops. Blocks meanwhile; later calls do nothing (the container's
   * {@link #destroy} after an explicit close, say).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (io != null) {
      io.close();
    }
    loops.close();
    try {
      answers.await(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
