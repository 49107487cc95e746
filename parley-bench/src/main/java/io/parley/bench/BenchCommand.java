package io.parley.bench;

import picocli.CommandLine.Command;

/** {@code parley bench <scenario>}: the load generator. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load generator speaking Engine.IO/Socket.IO over WebSocket against the bench-server contract.",
    subcommands = {ConnectScenario.class, FanoutScenario.class, EchoScenario.class, RoomsScenario.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("choose a scenario: connect, fanout, echo, rooms (see --help)");
  }
}
