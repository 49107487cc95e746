package io.parley.chat.events;

import io.parley.chat.metrics.Metrics;
import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers application event handlers with the one policy for failures: a {@link BadInput} is
 * answered {@code {success: false, error, code}} through the ack when the client asked for one,
 * else as an {@code error} event {@code {event, error, code}}; any other exception is logged and
 * answered the same way with {@code INTERNAL} and no detail. Each call is counted and timed.
 */
public final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);

  /** Handles one event; {@code reply} sends the successful ack. */
  @FunctionalInterface
  public interface Handler {
    void handle(Args args, Reply reply) throws Exception;
  }

  /** The successful answer of an event: {@code {success: true, ...fields}}; sent at most once. */
  public static final class Reply {
    private final Ack ack;
    private boolean sent;

    Reply(Ack ack) {
      this.ack = ack;
    }

    public void ok(Object... keyValues) {
      if (sent) {
        return;
      }
      sent = true;
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      for (int i = 0; i + 1 < keyValues.length; i += 2) {
        body.put((String) keyValues[i], keyValues[i + 1]);
      }
      ack.send(body);
    }
  }

  private final Metrics metrics;

  public Events(Metrics metrics) {
    this.metrics = metrics;
  }

  public void on(Socket socket, String event, Handler handler) {
    socket.on(event, (args, ack) -> {
      long start = System.nanoTime();
      Reply reply = new Reply(ack);
      try {
        handler.handle(args, reply);
        reply.ok();
      } catch (BadInput e) {
        fail(socket, ack, event, e.code(), e.getMessage());
      } catch (Exception e) {
        log.error("{} from socket {} failed", event, socket.id(), e);
        fail(socket, ack, event, "INTERNAL", "internal error");
      } finally {
        metrics.event(event, System.nanoTime() - start);
      }
    });
  }

  private void fail(Socket socket, Ack ack, String event, String code, String message) {
    metrics.error(event, code);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", false);
    body.put("error", message);
    body.put("code", code);
    if (ack.requested()) {
      ack.send(body);
    } else {
      body.remove("success");
      body.put("event", event);
      socket.emit("error", body);
    }
  }
}
