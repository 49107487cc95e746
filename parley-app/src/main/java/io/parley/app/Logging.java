package io.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The command line's logging (logback): one line per event on standard error, as readable text or
 * as JSON Lines ({@code --log-format json} / {@code PARLEY_LOG_FORMAT=json}), for log shippers.
 *
 * <p>JSON is logback's own {@code JsonEncoder}, one object per line:
 * {@code {"timestamp": <epoch ms>, "level", "threadName", "loggerName", "mdc": {...},
 * "formattedMessage", "throwable": null | {"className", "message", "stepArray": [...], "cause"?}}}.
 *
 * <p>Also a logback {@link Configurator} (registered in {@code META-INF/services}): logback's
 * default configuration is this one, in the format {@code PARLEY_LOG_FORMAT} names (text when
 * unset), unless {@code -Dlogback.configurationFile=...} points at a configuration of your own,
 * which then wins over the flag too.
 */
public final class Logging extends ContextAwareBase implements Configurator {
  /** Output formats of {@code --log-format}. */
  public enum Format {
    TEXT, JSON;

    /** {@code text} or {@code json} (any case); null or blank is text. */
    public static Format parse(String s) {
      if (s == null || s.isBlank()) {
        return TEXT;
      }
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default -> throw new IllegalArgumentException("log format must be text or json, not '" + s + "'");
      };
    }
  }

  /** Libraries quieter than the application: only their warnings. */
  static final Map<String, Level> LEVELS = Map.of(
      "io.netty", Level.WARN,
      "com.zaxxer.hikari", Level.WARN,
      "org.flywaydb", Level.INFO,
      "io.lettuce", Level.INFO,
      "reactor", Level.WARN,
      "org.apache.catalina", Level.WARN,
      "org.apache.coyote", Level.WARN,
      "org.apache.tomcat", Level.WARN);

  static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Format format;
    try {
      format = Format.parse(System.getenv("PARLEY_LOG_FORMAT"));
    } catch (IllegalArgumentException e) {
      format = Format.TEXT; // the command reports the bad value when it starts
    }
    apply(context, format, null);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Switches the running logging to {@code format} (on standard error). */
  static void use(Format format) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, format, null);
    }
  }

  /** Configures {@code context} afresh: one appender in {@code format} on {@code out} (null: standard error). */
  static void apply(LoggerContext context, Format format, OutputStream out) {
    context.reset();
    Encoder<ILoggingEvent> encoder = format == Format.JSON ? json() : text();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender;
    if (out == null) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.err");
      appender = console;
    } else {
      appender = new OutputStreamAppender<>();
      appender.setOutputStream(out);
    }
    appender.setName(format.name().toLowerCase(Locale.ROOT));
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  private static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setPattern(TEXT_PATTERN);
    return e;
  }

  private static Encoder<ILoggingEvent> json() {
    JsonEncoder e = new JsonEncoder();
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithContext(false);
    e.setWithKVPList(false);
    e.setWithArguments(false);
    e.setWithMessage(false);
    e.setWithFormattedMessage(true);
    return e;
  }
}
