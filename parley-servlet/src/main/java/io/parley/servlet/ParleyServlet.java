package io.parley.servlet;

import io.parley.server.SocketIoServer;
import io.parley.server.engine.Engine;
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
 */
public final class ParleyServlet extends HttpServlet implements AutoCloseable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final transient SocketIoServer io;
  private final transient Engine engine;
  private final transient ServletLoops loops;
  private transient ServerContainer websockets;

  /** Serves {@code io} with the Engine.IO {@code options} (their {@code path} must match the servlet's mapping). */
  public ParleyServlet(SocketIoServer io, EngineOptions options) {
    this.io = io;
    this.engine = new Engine(options, io, io::metrics);
    this.loops = new ServletLoops(Runtime.getRuntime().availableProcessors());
  }

  /** The Socket.IO server this servlet carries. */
  public SocketIoServer io() {
    return io;
  }

  @Override
  public void init() {
    Object c = getServletContext().getAttribute(ServerContainer.class.getName());
    websockets = c instanceof ServerContainer sc ? sc : null;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (io.isClosing() && isHandshake(req)) {
      // io.close() has disconnected everyone; the container may serve a while longer (a graceful
      // shutdown): no new session on a closed server (requests of closed sessions still get their
      // close packet or 400 from the engine)
      resp.setStatus(503);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write("Server shutting down");
      return;
    }
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      // The upgrade must be asked for on this thread, before service returns.
      ServletExchange ex = new ServletExchange(req, resp, null, loops.next(), websockets);
      engine.handle(new ServletHttpRequest(req, new byte[0]), ex);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(engine.options().pingInterval().plus(engine.options().pingTimeout()).toMillis() + 10_000);
    ServletExchange ex = new ServletExchange(req, resp, async, loops.next(), websockets);
    if (!"POST".equals(req.getMethod())) {
      dispatch(new ServletHttpRequest(req, new byte[0]), ex);
      return;
    }
    int limit = engine.options().maxHttpBufferSize();
    if (req.getContentLengthLong() > limit) {
      ex.respond(HttpResponse.empty(413));
      return;
    }
    ServletInputStream in = req.getInputStream();
    in.setReadListener(new ReadListener() {
      private final ByteArrayOutputStream body = new ByteArrayOutputStream();
      private final byte[] chunk = new byte[8192];
      private boolean refused;

      @Override
      public void onDataAvailable() throws IOException {
        while (in.isReady() && !in.isFinished()) {
          int n = in.read(chunk);
          if (n < 0) {
            break;
          }
          body.write(chunk, 0, n);
          if (body.size() > limit && !refused) {
            refused = true;
            ex.respond(HttpResponse.empty(413));
            return;
          }
        }
      }

      @Override
      public void onAllDataRead() {
        if (refused) {
          return;
        }
        dispatch(new ServletHttpRequest(req, body.toByteArray()), ex);
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

  /** Disconnects every socket and stops the session threads. */
  @Override
  public void destroy() {
    close();
  }

  @Override
  public void close() {
    io.close();
    loops.close();
  }
}
