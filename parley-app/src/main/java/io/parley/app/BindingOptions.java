package io.parley.app;

import picocli.CommandLine.Option;

/** {@code --binding netty|servlet} of the commands that serve fixtures on either binding (a picocli mixin). */
final class BindingOptions {
  @Option(names = "--binding", paramLabel = "netty|servlet", defaultValue = "netty",
      description = "Serve through Netty (ParleyServer) or through ParleyServlet in embedded Tomcat 11 "
          + "(default: ${DEFAULT-VALUE}).")
  Binding binding;
}
