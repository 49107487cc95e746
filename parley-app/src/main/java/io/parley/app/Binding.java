package io.parley.app;

/**
 * Which binding carries a command's server ({@code --binding}): Parley's standalone Netty server,
 * or {@code ParleyServlet} inside an embedded Servlet container ({@link EmbeddedTomcat}).
 */
public enum Binding {
  /** {@code ParleyServer}, on Netty: the default. */
  NETTY,
  /** {@code ParleyServlet} in embedded Tomcat 11, WebSocket through its Jakarta WebSocket. */
  SERVLET
}
