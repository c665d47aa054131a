package io.pathswitch.benchmarks.callcost;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The agent's switches as the benchmark fork sees them: through the platform MBeanServer only, the
 * way an operator would, never through the agent's classes. Not thread-safe; used from setup and
 * teardown.
 */
final class AgentSwitches {

  private static final String AGENT_FLAG = "-javaagent:";

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  /**
   * Fails unless this JVM runs the real shaded agent given with {@code -javaagent}: the agent's
   * classes must come from that jar (not from an unshaded copy on the class path) and its
   * dependencies must be relocated.
   */
  static void requireShadedAgent() {
    Path jar =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(argument -> argument.startsWith(AGENT_FLAG))
            .map(argument -> Path.of(argument.substring(AGENT_FLAG.length()).split("=", 2)[0]))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "this fork has no -javaagent; run it through BenchmarkMain, which adds the"
                            + " agent's shaded jar"));
    Path loadedFrom;
    try {
      Class<?> agent = Class.forName("io.pathswitch.PathswitchAgent");
      loadedFrom = Path.of(agent.getProtectionDomain().getCodeSource().getLocation().toURI());
      Class.forName("io.pathswitch.shaded.asm.ClassReader");
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new IllegalStateException("the agent given as " + jar + " is not the shaded jar: " + e);
    }
    if (!loadedFrom.toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize())) {
      throw new IllegalStateException(
          "the agent's classes were loaded from "
              + loadedFrom
              + ", not from the -javaagent jar "
              + jar
              + "; the fork's class path must not hold the agent module");
    }
  }

  /**
   * Waits for the agent to register the beans of {@code names}, which it does on its own thread
   * shortly after start.
   */
  void await(List<String> names, Duration timeout) throws JMException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String name : names) {
      while (!server.isRegistered(objectName(name))) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "the agent registered no JMX bean " + objectName(name) + " within " + timeout);
        }
        Thread.sleep(10);
      }
    }
  }

  /** Sets a switch over JMX and checks that it took the state that follows. */
  void set(String name, boolean enabled, double percentage) throws JMException {
    ObjectName bean = objectName(name);
    server.setAttribute(bean, new Attribute("Percentage", percentage));
    server.setAttribute(bean, new Attribute("Enabled", enabled));
    String expected = enabled ? "ON" : "OFF";
    String state = (String) server.getAttribute(bean, "State");
    if (!state.equals(expected)) {
      throw new IllegalStateException(
          "switch "
              + name
              + " is "
              + state
              + " ("
              + server.getAttribute(bean, "StateReason")
              + "), expected "
              + expected);
    }
  }

  long count(String name, String attribute) throws JMException {
    return (Long) server.getAttribute(objectName(name), attribute);
  }

  private static ObjectName objectName(String name) throws MalformedObjectNameException {
    return new ObjectName("io.pathswitch:type=Switch,name=" + name);
  }
}
