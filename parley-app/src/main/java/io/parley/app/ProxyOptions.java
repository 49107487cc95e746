package io.parley.app;

import io.parley.netty.TrustedProxies;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --trusted-proxy} of the commands that serve clients behind a reverse proxy (a picocli mixin). */
final class ProxyOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--trusted-proxy", paramLabel = "ADDRESS|CIDR", split = ",",
      defaultValue = "${env:PARLEY_TRUSTED_PROXIES}",
      description = "A reverse proxy whose X-Forwarded-For names the client address (repeatable, or comma separated), "
          + "e.g. 127.0.0.1 or 10.0.0.0/8 (default: none, the header is ignored; env PARLEY_TRUSTED_PROXIES).")
  List<String> trustedProxies;

  /** The entries given (empty when none). */
  List<String> list() {
    return trustedProxies == null ? List.of() : trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** The parsed proxies; a usage error for an entry that is not an address or CIDR range. */
  TrustedProxies trustedProxies() {
    try {
      return TrustedProxies.of(list());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--trusted-proxy: " + e.getMessage());
    }
  }

  /** One line for the console, or null when no proxy is trusted. */
  String describe() {
    List<String> l = list();
    return l.isEmpty() ? null : "Client addresses from X-Forwarded-For of the trusted proxies " + String.join(", ", l);
  }
}
