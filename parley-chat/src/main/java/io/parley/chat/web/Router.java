package io.parley.chat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.server.http.HttpRequest;
import io.parley.server.http.HttpResponder;
import io.parley.server.http.HttpResponse;
import io.parley.server.http.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small router over {@link HttpRoute}: matches {@code METHOD /path/{param}} patterns on the I/O
 * thread, then runs the handler on a virtual thread (handlers may block on JDBC or bcrypt) and
 * answers from there. JSON in and out; errors map to {@code {"error", "code"}} bodies in one
 * place ({@link #respond}). Paths no route knows pass on (the server answers 404); a known path
 * with another method gets 405.
 */
public final class Router implements HttpRoute {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Handles a matched request; may block; throw {@link HttpError} to answer with an error. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request) throws Exception;
  }

  /** Observes each answered request (for metrics): the route pattern and the status. */
  @FunctionalInterface
  public interface Observer {
    void answered(String method, String pattern, int status, long nanos);
  }

  private record Route(String method, String pattern, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final ObjectMapper mapper;
  private final ExecutorService executor;
  private final int maxBodyBytes;
  private final Set<String> corsOrigins;
  private Observer observer = (m, p, s, n) -> {};

  public Router(ObjectMapper mapper, ExecutorService executor, int maxBodyBytes, List<String> corsOrigins) {
    this.mapper = mapper;
    this.executor = executor;
    this.maxBodyBytes = maxBodyBytes;
    this.corsOrigins = Set.copyOf(corsOrigins);
  }

  public Router observer(Observer o) {
    this.observer = o;
    return this;
  }

  public Router get(String pattern, Handler h) {
    return add("GET", pattern, h);
  }

  public Router post(String pattern, Handler h) {
    return add("POST", pattern, h);
  }

  public Router delete(String pattern, Handler h) {
    return add("DELETE", pattern, h);
  }

  public Router add(String method, String pattern, Handler h) {
    routes.add(new Route(method, pattern, split(pattern), h));
    return this;
  }

  private static String[] split(String path) {
    return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
  }

  @Override
  public boolean handle(HttpRequest req, HttpResponder res) {
    String path = req.path();
    String method = req.method();
    String[] segments = split(path);
    for (int i = 0; i < segments.length; i++) {
      segments[i] = decode(segments[i]);
      if (segments[i] == null) {
        return false;
      }
    }
    Route match = null;
    Map<String, String> params = null;
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> p = match(r.segments(), segments);
      if (p == null) {
        continue;
      }
      allowed.add(r.method());
      if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
        match = r;
        params = p;
        break;
      }
    }
    if (allowed.isEmpty()) {
      return false;
    }
    String origin = req.header("Origin");
    if (match == null) {
      if (method.equals("OPTIONS") && origin != null && corsOrigins.contains(origin)) {
        res.respond(build(new Response(204, null, new byte[0], null), origin)
            .header("Access-Control-Allow-Methods", String.join(", ", allowed))
            .header("Access-Control-Allow-Headers", "Authorization, Content-Type")
            .header("Access-Control-Max-Age", "600"));
        return true;
      }
      res.respond(build(error(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path), origin)
          .header("Allow", String.join(", ", allowed)));
      return true;
    }
    if (req.body().length > maxBodyBytes) { // read whole already: the connection may carry on
      res.respond(build(error(413, "PAYLOAD_TOO_LARGE", "request body over " + maxBodyBytes + " bytes"), origin));
      return true;
    }
    Request request = new Request(req, params, mapper);
    Route route = match;
    long start = System.nanoTime();
    executor.execute(() -> {
      Response r = respond(route, request);
      observer.answered(route.method(), route.pattern(), r.status(), System.nanoTime() - start);
      res.respond(Head.answer(req, build(r, origin)));
    });
    return true;
  }

  /** Runs the handler and maps every failure to a response: the one place errors are translated. */
  private Response respond(Route route, Request request) {
    try {
      return route.handler().handle(request);
    } catch (HttpError e) {
      return error(e.status(), e.code(), e.getMessage());
    } catch (Exception e) {
      log.error("{} {} failed", request.method(), request.path(), e);
      return error(500, "INTERNAL", "internal error");
    }
  }

  private static Response error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("code", code);
    return Response.json(status, body);
  }

  private HttpResponse build(Response r, String origin) {
    byte[] body = r.body();
    if (body == null) {
      try {
        body = mapper.writeValueAsBytes(r.value());
      } catch (Exception e) {
        log.error("cannot serialise a response", e);
        body = "{\"error\":\"internal error\",\"code\":\"INTERNAL\"}".getBytes(StandardCharsets.UTF_8);
        r = new Response(500, Response.JSON, body, null);
      }
    }
    HttpResponse out = HttpResponse.of(r.status(), r.contentType(), body)
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff");
    if (origin != null && corsOrigins.contains(origin)) {
      out.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
    }
    return out;
  }

  /** Percent-decodes one path segment ('+' stays '+'); null when malformed. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), path[i]);
      } else if (!p.equals(path[i])) {
        return null;
      }
    }
    return params;
  }
}
