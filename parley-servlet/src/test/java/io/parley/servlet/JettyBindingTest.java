package io.parley.servlet;

/** The container contract in embedded Jetty 12 (ee10). */
class JettyBindingTest extends ContainerBindingContract {
  @Override
  EmbeddedContainer container() {
    return EmbeddedContainer.JETTY;
  }
}
