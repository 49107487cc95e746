/** Engine.IO v4 and Socket.IO v5 packets and their codecs: pure Java, no I/O. */
module io.parley.protocol {
  requires transitive com.fasterxml.jackson.databind;

  exports io.parley.protocol;
}
