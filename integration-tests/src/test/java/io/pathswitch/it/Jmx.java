package io.pathswitch.it;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX connection to a local JVM through its local connector, as JConsole makes it. */
final class Jmx implements AutoCloseable {

  private final JMXConnector connector;
  private final MBeanServerConnection server;

  private Jmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
  }

  static Jmx connect(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      String address = vm.startLocalManagementAgent();
      return new Jmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    } finally {
      vm.detach();
    }
  }

  static ObjectName switchNamed(String name) throws Exception {
    return new ObjectName("io.pathswitch:type=Switch,name=" + name);
  }

  MBeanServerConnection server() {
    return server;
  }

  Object get(String switchName, String attribute) throws Exception {
    return server.getAttribute(switchNamed(switchName), attribute);
  }

  long count(String switchName, String attribute) throws Exception {
    return ((Number) get(switchName, attribute)).longValue();
  }

  void set(String switchName, String attribute, Object value) throws Exception {
    server.setAttribute(switchNamed(switchName), new javax.management.Attribute(attribute, value));
  }

  Object invoke(String switchName, String operation) throws Exception {
    return server.invoke(switchNamed(switchName), operation, new Object[0], new String[0]);
  }

  boolean registered(String switchName) throws Exception {
    return server.isRegistered(switchNamed(switchName));
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
