package io.parley.app;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --log-format text|json} of the long-running commands (a picocli mixin). */
final class LoggingOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:PARLEY_LOG_FORMAT:-text}",
      description = "Log output: readable text, or one JSON object per line (default: ${DEFAULT-VALUE}; env PARLEY_LOG_FORMAT).")
  String format;

  /** Switches logging to the chosen format; call first thing in the command. */
  void apply() {
    Logging.Format f;
    try {
      f = Logging.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--log-format: " + e.getMessage());
    }
    Logging.use(f);
  }
}
