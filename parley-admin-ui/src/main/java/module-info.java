/** The server side of {@code @socket.io/admin-ui}'s protocol. */
// spring-security-crypto ships no module descriptor (an automatic module, by its Automatic-Module-Name):
// nothing to fix on this side, so this lint is off for this declaration only.
@SuppressWarnings("requires-automatic")
module io.parley.adminui {
  requires transitive io.parley.server;
  requires java.management;
  requires spring.security.crypto;
  requires org.slf4j;

  exports io.parley.adminui;
}
