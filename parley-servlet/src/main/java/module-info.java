/** The container binding: Parley in a Servlet 6 container, WebSocket through Jakarta WebSocket 2.1. */
module io.parley.servlet {
  requires transitive io.parley.server;
  requires transitive jakarta.servlet;
  requires jakarta.websocket;
  requires jakarta.websocket.client;
  requires org.slf4j;

  exports io.parley.servlet;
  // containers instantiate nothing here (Parley hands them the endpoint), but they inspect its class
  opens io.parley.servlet.internal to jakarta.websocket;
}
