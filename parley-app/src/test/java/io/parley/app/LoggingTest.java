package io.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The two log formats, on a logger context of their own (the test JVM's logging is left alone). */
@Timeout(10)
class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A logger context apart from the test JVM's, sharing its MDC (what {@code MDC.put} writes to). */
  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    return context;
  }

  private static List<JsonNode> lines(ByteArrayOutputStream out) throws Exception {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      parsed.add(JSON.readTree(line)); // each line is one whole JSON object
    }
    return parsed;
  }

  @Test
  void jsonIsOneObjectPerLineWithTheEventsFields() throws Exception {
    LoggerContext context = context();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.apply(context, Logging.Format.JSON, out);
    Logger log = context.getLogger("io.parley.test.Json");
    log.info("hello {} \"quoted\"\nsecond line", "world");
    MDC.put("requestId", "r-42");
    try {
      log.error("it failed", new IllegalStateException("bad \"state\"", new RuntimeException("root cause")));
    } finally {
      MDC.remove("requestId");
    }
    log.debug("not at INFO");
    context.getLogger("io.netty.channel.Foo").info("netty chatter is quiet");
    context.getLogger("io.netty.channel.Foo").warn("netty warning");
    context.stop();

    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(3);
    JsonNode info = lines.get(0);
    assertThat(info.path("timestamp").isIntegralNumber()).isTrue();
    assertThat(info.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis(),
        org.assertj.core.data.Offset.offset(60_000L));
    assertThat(info.path("level").asText()).isEqualTo("INFO");
    assertThat(info.path("loggerName").asText()).isEqualTo("io.parley.test.Json");
    assertThat(info.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(info.path("formattedMessage").asText()).isEqualTo("hello world \"quoted\"\nsecond line");
    assertThat(info.path("throwable").isNull()).isTrue();

    JsonNode error = lines.get(1);
    assertThat(error.path("level").asText()).isEqualTo("ERROR");
    assertThat(error.path("mdc").path("requestId").asText()).isEqualTo("r-42");
    JsonNode thrown = error.path("throwable");
    assertThat(thrown.path("className").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(thrown.path("message").asText()).isEqualTo("bad \"state\"");
    assertThat(thrown.path("stepArray").isArray()).isTrue();
    assertThat(thrown.path("stepArray").get(0).path("methodName").asText())
        .isEqualTo("jsonIsOneObjectPerLineWithTheEventsFields");
    assertThat(thrown.path("cause").path("message").asText()).isEqualTo("root cause");

    assertThat(lines.get(2).path("loggerName").asText()).isEqualTo("io.netty.channel.Foo");
    assertThat(lines.get(2).path("level").asText()).isEqualTo("WARN");
  }

  @Test
  void textIsOneReadableLinePerEventWithTheStackTraceBelow() {
    LoggerContext context = context();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.apply(context, Logging.Format.TEXT, out);
    Logger log = context.getLogger("io.parley.test.Text");
    log.info("listening on {}", 4000);
    log.warn("trouble", new IllegalStateException("boom"));
    context.getLogger("com.zaxxer.hikari.HikariDataSource").info("pool chatter is quiet");
    context.stop();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] io\\.parley\\.test\\.Text - listening on 4000");
    assertThat(lines[1]).contains("WARN  [").endsWith("io.parley.test.Text - trouble");
    assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(String.join("\n", lines)).doesNotContain("pool chatter");
  }

  @Test
  void formatsAreTextOrJson() {
    assertThat(Logging.Format.parse(null)).isEqualTo(Logging.Format.TEXT);
    assertThat(Logging.Format.parse(" JSON ")).isEqualTo(Logging.Format.JSON);
    assertThat(Logging.Format.parse("text")).isEqualTo(Logging.Format.TEXT);
    assertThatThrownBy(() -> Logging.Format.parse("xml")).isInstanceOf(IllegalArgumentException.class);
  }
}
