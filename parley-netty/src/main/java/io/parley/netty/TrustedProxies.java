package io.parley.netty;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The reverse proxies whose {@code X-Forwarded-For} header is believed: addresses and CIDR ranges
 * ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}). When the TCP peer of a
 * request is one of them, the client address is the right-most {@code X-Forwarded-For} entry that
 * is not itself a trusted proxy; from any other peer the header is ignored, so a client cannot
 * pick the address the per-address limits see. {@link #NONE} (the default) trusts nobody.
 *
 * <p>Entries are IP literals only: host names are refused (no DNS lookup, ever). An entry of the
 * header that is not an IP literal (nginx never writes one) stops the walk: the address the last
 * trusted hop connected from is used. Immutable and thread-safe.
 *
 * <pre>{@code
 * ParleyServer.builder().trustedProxies(TrustedProxies.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
 * }</pre>
 */
public final class TrustedProxies {
  /** Trusts no proxy: the client address is always the TCP peer's. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<String> specs;
  private final List<Range> ranges;

  private TrustedProxies(List<String> specs, List<Range> ranges) {
    this.specs = List.copyOf(specs);
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Parses addresses and CIDR ranges; blank entries are skipped.
   *
   * @param specs IP literals and CIDR ranges
   * @return the trusted proxies
   * @throws IllegalArgumentException for an entry that is not an IP literal or a valid CIDR range
   */
  public static TrustedProxies of(String... specs) {
    return of(Arrays.asList(specs));
  }

  /**
   * Parses addresses and CIDR ranges; blank entries are skipped.
   *
   * @param specs IP literals and CIDR ranges (from a configuration list, say)
   * @return the trusted proxies
   * @throws IllegalArgumentException for an entry that is not an IP literal or a valid CIDR range
   */
  public static TrustedProxies of(Collection<String> specs) {
    List<String> kept = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw == null ? "" : raw.strip();
      if (spec.isEmpty()) {
        continue;
      }
      int slash = spec.indexOf('/');
      String host = slash < 0 ? spec : spec.substring(0, slash);
      byte[] network = literal(host);
      if (network == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range: '" + spec + "'");
      }
      int prefix = network.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(spec.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix length in '" + spec + "'");
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException("prefix length out of range in '" + spec + "'");
        }
      }
      ranges.add(new Range(network, prefix));
      kept.add(spec);
    }
    return new TrustedProxies(kept, ranges);
  }

  /** The entries as given (for logs and {@code toString}). */
  public List<String> specs() {
    return specs;
  }

  /** Whether no proxy is trusted (as {@link #NONE}). */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * Whether {@code address} is a trusted proxy (an IPv4-mapped IPv6 address counts as its IPv4 one).
   *
   * @param address the address, or null
   * @return true when one of the entries contains it
   */
  public boolean trusts(InetAddress address) {
    if (address == null || ranges.isEmpty()) {
      return false;
    }
    byte[] a = normalized(address);
    for (Range r : ranges) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client address of a request received from {@code peer} carrying these
   * {@code X-Forwarded-For} header values (in order; each may hold a comma-separated list).
   *
   * @param peer the TCP peer's address
   * @param forwardedFor the header's values, or null
   * @return the client address: {@code peer} itself unless {@code peer} is trusted and the header
   *     names someone
   */
  public InetAddress clientAddress(InetAddress peer, List<String> forwardedFor) {
    if (!trusts(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String hop : value.split(",")) {
        hops.add(hop.strip());
      }
    }
    InetAddress client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = parseHop(hops.get(i));
      if (hop == null) {
        return client;
      }
      client = hop;
      if (!trusts(hop)) {
        return hop;
      }
    }
    return client;
  }

  /** One {@code X-Forwarded-For} entry: an IPv4 or IPv6 literal, maybe bracketed, maybe with a port. */
  static InetAddress parseHop(String hop) {
    String h = hop.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return null;
      }
      h = h.substring(1, end);
    } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':') && h.indexOf('.') >= 0) {
      h = h.substring(0, h.indexOf(':')); // 203.0.113.5:41234
    }
    if (h.isEmpty() || h.toLowerCase(Locale.ROOT).equals("unknown")) {
      return null;
    }
    return NetUtil.createInetAddressFromIpAddressString(h);
  }

  private static byte[] literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!NetUtil.isValidIpV4Address(h) && !NetUtil.isValidIpV6Address(h)) {
      return null;
    }
    InetAddress a = NetUtil.createInetAddressFromIpAddressString(h);
    return a == null ? null : normalized(a);
  }

  /** The address's bytes, an IPv4-mapped IPv6 address as its IPv4 address. */
  private static byte[] normalized(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address && b.length == 16) {
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        return Arrays.copyOfRange(b, 12, 16);
      }
    }
    return b;
  }

  @Override
  public String toString() {
    return "TrustedProxies" + specs;
  }
}
