/** The container binding: Parley in a Servlet 6 container, WebSocket through Jakarta WebSocket 2.1. */
module io.parley.servlet {
  requires transitive io.parley.server;
  requires transitive jakarta.servlet;
  requires jakarta.websocket;
  requires jakarta.websocket.client;
  requires org.slf4j;

  exports io.parley.servlet;
}
