package io.parley.servlet;

/** The container contract in embedded Tomcat 11. */
class TomcatBindingTest extends ContainerBindingContract {
  @Override
  EmbeddedContainer container() {
    return EmbeddedContainer.TOMCAT;
  }
}
