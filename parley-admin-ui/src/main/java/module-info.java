/** The server side of {@code @socket.io/admin-ui}'s protocol. */
module io.parley.adminui {
  requires transitive io.parley.server;
  requires java.management;
  requires spring.security.crypto;
  requires org.slf4j;

  exports io.parley.adminui;
}
