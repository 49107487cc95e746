package io.parley.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parley} command line. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "Parley 0.1.0",
    description = "A Socket.IO v4 server for the JVM.",
    subcommands = {ServeCommand.class, ConformanceServer.class, BenchServer.class, io.parley.bench.BenchCommand.class},
    footer = {"", "The ./parley launcher also takes:",
        "  test     run every test (mvn verify, Node client suite included), then",
        "           install the library artifacts and build examples/ against them",
        "  install  install the library artifacts (sources, javadoc, parley-bom) in",
        "           the local Maven repository, tests skipped",
        "  build    build the jar (done automatically when sources changed)"})
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
