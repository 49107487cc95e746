package io.parley.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parsing of trusted proxy ranges and the choice of the client address in X-Forwarded-For. */
@Timeout(10)
class TrustedProxiesTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s); // literals only: no lookup
  }

  @Test
  void addressesAndRangesOfBothFamilies() throws Exception {
    TrustedProxies t = TrustedProxies.of("127.0.0.1", "10.0.0.0/8", "192.168.1.128/25", "fd00::/8", "[::1]", " ");
    assertThat(t.trusts(ip("127.0.0.1"))).isTrue();
    assertThat(t.trusts(ip("127.0.0.2"))).isFalse();
    assertThat(t.trusts(ip("10.255.3.4"))).isTrue();
    assertThat(t.trusts(ip("11.0.0.1"))).isFalse();
    assertThat(t.trusts(ip("192.168.1.200"))).isTrue();
    assertThat(t.trusts(ip("192.168.1.100"))).isFalse();
    assertThat(t.trusts(ip("fd12:3456::1"))).isTrue();
    assertThat(t.trusts(ip("fe80::1"))).isFalse();
    assertThat(t.trusts(ip("::1"))).isTrue();
    assertThat(t.trusts(ip("::ffff:10.1.2.3"))).as("IPv4-mapped IPv6").isTrue();
    assertThat(t.specs()).hasSize(5);
    assertThat(TrustedProxies.NONE.trusts(ip("127.0.0.1"))).isFalse();
    assertThat(TrustedProxies.of("0.0.0.0/0").trusts(ip("203.0.113.9"))).isTrue();
  }

  @Test
  void hostNamesAndBadRangesAreRefused() {
    for (String bad : List.of("localhost", "proxy.example", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "1.2.3", "10.0.0.0/")) {
      assertThatThrownBy(() -> TrustedProxies.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theRightMostAddressThatIsNotATrustedProxyIsTheClient() throws Exception {
    TrustedProxies t = TrustedProxies.of("127.0.0.1", "10.0.0.0/8");
    InetAddress proxy = ip("127.0.0.1");
    // The client's own (spoofed) entry stays to the left of what the proxies appended.
    assertThat(t.clientAddress(proxy, List.of("1.1.1.1, 203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
    // Another trusted proxy in between is skipped.
    assertThat(t.clientAddress(proxy, List.of("198.51.100.20, 10.1.1.1"))).isEqualTo(ip("198.51.100.20"));
    // Several header lines are one list, in order.
    assertThat(t.clientAddress(proxy, List.of("198.51.100.20", "10.1.1.1"))).isEqualTo(ip("198.51.100.20"));
    // Ports and brackets as some proxies write them.
    assertThat(t.clientAddress(proxy, List.of("203.0.113.7:41234"))).isEqualTo(ip("203.0.113.7"));
    assertThat(t.clientAddress(proxy, List.of("[2001:db8::5]:443"))).isEqualTo(ip("2001:db8::5"));
    assertThat(t.clientAddress(proxy, List.of("2001:db8::5"))).isEqualTo(ip("2001:db8::5"));
    // Every hop trusted: the left-most.
    assertThat(t.clientAddress(proxy, List.of("10.0.0.9, 10.0.0.8"))).isEqualTo(ip("10.0.0.9"));
    // No header: the peer.
    assertThat(t.clientAddress(proxy, List.of())).isEqualTo(proxy);
  }

  @Test
  void theHeaderOfAnUntrustedPeerIsIgnored() throws Exception {
    TrustedProxies t = TrustedProxies.of("127.0.0.1");
    assertThat(t.clientAddress(ip("127.0.0.2"), List.of("203.0.113.7"))).isEqualTo(ip("127.0.0.2"));
    assertThat(TrustedProxies.NONE.clientAddress(ip("127.0.0.1"), List.of("203.0.113.7"))).isEqualTo(ip("127.0.0.1"));
  }

  @Test
  void anEntryThatIsNotAnAddressStopsAtTheLastTrustedHop() throws Exception {
    TrustedProxies t = TrustedProxies.of("127.0.0.1", "10.0.0.0/8");
    InetAddress proxy = ip("127.0.0.1");
    assertThat(t.clientAddress(proxy, List.of("evil.example"))).isEqualTo(proxy);
    assertThat(t.clientAddress(proxy, List.of("203.0.113.7, unknown, 10.0.0.3"))).isEqualTo(ip("10.0.0.3"));
    assertThat(t.clientAddress(proxy, List.of("203.0.113.7, "))).isEqualTo(proxy);
  }
}
