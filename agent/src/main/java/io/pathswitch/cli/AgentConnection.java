package io.pathswitch.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * The agent in one JVM, over that JVM's local JMX connector: {@code io.pathswitch:type=Agent} and
 * {@code io.pathswitch:type=Switch,name=<name>}. Every failure becomes a {@link Failure} whose line
 * is the agent's own message when the agent refused (an unknown key, a value out of range). Not
 * thread-safe; close it.
 */
final class AgentConnection implements AutoCloseable {

  static final String AGENT = "io.pathswitch:type=Agent";
  static final String SWITCH = "io.pathswitch:type=Switch,name=";

  private static final String[] ONE_STRING = {String.class.getName()};

  private final long pid;
  private final JMXConnector connector;
  private final MBeanServerConnection server;

  AgentConnection(long pid, JMXConnector connector) throws IOException {
    this.pid = pid;
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
  }

  boolean installed() {
    try {
      return server.isRegistered(name(AGENT));
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Fails unless the agent runs in the JVM, saying how to attach it. */
  void requireInstalled() {
    if (!installed()) {
      throw new Failure(
          "pathswitch is not attached to pid "
              + pid
              + "; attach it with: java -jar pathswitch-agent.jar attach "
              + pid
              + " config=FILE");
    }
  }

  String version() {
    return (String) agentAttribute("Version");
  }

  String configFile() {
    return (String) agentAttribute("ConfigFile");
  }

  /** The names of the switches with a bean, sorted. */
  List<String> switchNames() {
    try {
      List<String> names = new ArrayList<>();
      for (ObjectName bean : server.queryNames(name(SWITCH + "*"), null)) {
        names.add(bean.getKeyProperty("name"));
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Fails unless {@code switchName} exists, naming the switches there are. */
  void requireSwitch(String switchName) {
    requireInstalled();
    boolean known;
    try {
      // Switch names are lower-case letters, digits and dashes; anything else is no switch, and
      // could be a JMX pattern or a malformed name.
      known = switchName.matches("[a-z0-9-]+") && server.isRegistered(switchBean(switchName));
    } catch (IOException e) {
      throw lost(e);
    }
    if (!known) {
      List<String> names = switchNames();
      throw new Failure(
          "pid "
              + pid
              + " has no switch '"
              + switchName
              + "'; its switches: "
              + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
  }

  SwitchStatus status(String switchName) {
    try {
      AttributeList list = server.getAttributes(switchBean(switchName), SwitchStatus.ATTRIBUTES);
      Map<String, Object> values = new HashMap<>();
      for (Attribute attribute : list.asList()) {
        values.put(attribute.getName(), attribute.getValue());
      }
      return SwitchStatus.of(switchName, values);
    } catch (JMException | JMRuntimeException e) {
      throw refused(e);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** {@code set(assignments, source)}: every assignment is checked before any applies. */
  String set(String switchName, String assignments, String source) {
    return (String)
        invoke(
            switchBean(switchName),
            "set",
            new Object[] {assignments, source},
            new String[] {String.class.getName(), String.class.getName()});
  }

  /** {@code rollback}, {@code resume} or {@code advance}, logged with {@code source}. */
  String operate(String switchName, String operation, String source) {
    return (String) invoke(switchBean(switchName), operation, new Object[] {source}, ONE_STRING);
  }

  String detach() {
    return (String) invoke(name(AGENT), "detach", new Object[0], new String[0]);
  }

  private Object agentAttribute(String attribute) {
    try {
      return server.getAttribute(name(AGENT), attribute);
    } catch (JMException | JMRuntimeException e) {
      throw refused(e);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private Object invoke(ObjectName bean, String operation, Object[] args, String[] signature) {
    try {
      return server.invoke(bean, operation, args, signature);
    } catch (JMException | JMRuntimeException e) {
      throw refused(e);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** The agent's own reason, from under the layers JMX wraps it in. */
  private Failure refused(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return new Failure(message == null ? cause.toString() : Main.oneLine(message));
  }

  private Failure lost(IOException e) {
    return new Failure("lost the JMX connection to pid " + pid + ": " + Main.oneLine(e));
  }

  private static ObjectName switchBean(String switchName) {
    return name(SWITCH + switchName);
  }

  static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new Failure("not a JMX name: " + text + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // The JVM may have ended or the agent detached; nothing is left to release.
    }
  }
}
