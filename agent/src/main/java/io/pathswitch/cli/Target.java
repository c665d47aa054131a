package io.pathswitch.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One running JVM, reached through the JDK's attach API, and through it the JVM's own local JMX
 * connector, as JConsole reaches it: no port is opened for the command line. Not thread-safe; close
 * it to let the JVM go.
 */
final class Target implements AutoCloseable {

  private final long pid;
  private final VirtualMachine vm;

  private Target(long pid, VirtualMachine vm) {
    this.pid = pid;
    this.vm = vm;
  }

  /**
   * Attaches to {@code pid}. What can be told without attaching fails at once: attaching to a
   * process that is not a JVM of this user takes the attach API about ten seconds to refuse.
   */
  static Target attach(long pid) {
    requireAttachable(pid);
    try {
      return new Target(pid, VirtualMachine.attach(Long.toString(pid)));
    } catch (AttachNotSupportedException | IOException e) {
      throw new Failure("cannot attach to pid " + pid + ": " + Main.oneLine(e));
    }
  }

  /** Fails with the reason when {@code pid} is certainly not a JVM the attach API can reach. */
  static void requireAttachable(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      throw new Failure("no process with pid " + pid);
    }
    if (pid == ProcessHandle.current().pid()) {
      throw new Failure("pid " + pid + " is this command itself");
    }
    String me = System.getProperty("user.name");
    Optional<String> owner = process.get().info().user();
    if (owner.isPresent() && !owner.get().equals(me) && !"root".equals(me)) {
      throw new Failure(
          "pid "
              + pid
              + " belongs to user "
              + owner.get()
              + ", not "
              + me
              + "; the attach API reaches only JVMs of the same user");
    }
    if (!listed(pid) && certainlyNotJvm(pid)) {
      throw new Failure(
          "pid "
              + pid
              + " is not a JVM ("
              + process.get().info().command().orElse("unknown command")
              + ")");
    }
  }

  private static boolean listed(long pid) {
    String id = Long.toString(pid);
    return VirtualMachine.list().stream().anyMatch(vm -> vm.id().equals(id));
  }

  /**
   * A JVM started with {@code -XX:-UsePerfData} is not listed by the attach API, so an unlisted
   * process is only judged not to be a JVM when its memory map (Linux) shows no JVM library.
   */
  private static boolean certainlyNotJvm(long pid) {
    Path maps = Path.of("/proc", Long.toString(pid), "maps");
    try {
      return Files.isReadable(maps) && !Files.readString(maps).contains("/libjvm.");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  long pid() {
    return pid;
  }

  Properties systemProperties() {
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw new Failure("cannot read the system properties of pid " + pid + ": " + Main.oneLine(e));
    }
  }

  /** Loads the agent's jar into the JVM; returns once its {@code agentmain} has returned. */
  void loadAgent(Path jar, String options) {
    try {
      vm.loadAgent(jar.toString(), options);
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      throw new Failure("pid " + pid + " did not load the agent: " + Main.oneLine(e));
    }
  }

  /** Connects to the JVM's local JMX connector, starting it if the JVM has none yet. */
  AgentConnection connect() {
    try {
      String address = vm.startLocalManagementAgent();
      JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
      return new AgentConnection(pid, connector);
    } catch (IOException e) {
      throw new Failure("cannot connect to JMX in pid " + pid + ": " + Main.oneLine(e));
    }
  }

  @Override
  public void close() {
    try {
      vm.detach();
    } catch (IOException e) {
      // The JVM may have ended; nothing is left to release on this side.
    }
  }
}
