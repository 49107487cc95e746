package io.parley.servlet;

import io.parley.netty.testkit.TestServers;
import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * The official Java client's suites of the Netty binding ({@code io.parley.netty.client} in
 * parley-netty's test-jar), every one of them, against {@link ParleyServlet} in embedded Tomcat.
 */
@Suite
@SuiteDisplayName("Official Java client suites, ParleyServlet in Tomcat")
@SelectPackages("io.parley.netty.client")
@ConfigurationParameter(key = TestServers.PARAMETER, value = "io.parley.servlet.ContainerTestServers$Tomcat")
class OfficialClientSuitesInTomcatTest {}
