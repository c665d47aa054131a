package io.pathswitch.it;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JVMs of another user. File permissions do not bind root, and the attach API lets root into every
 * JVM, so where the tests run as root (as in CI containers) the JVM that must feel a permission is
 * started as {@code nobody} through {@code setpriv}; it then sees only what any user may read.
 */
final class Users {

  static final String OTHER = "nobody";

  private Users() {}

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The full command: {@code java} and {@code jvmArguments}, as {@code nobody} when root. */
  static List<String> asOtherUserWhenRoot(List<String> jvmArguments) {
    if (root()) {
      return as(OTHER, jvmArguments);
    }
    List<String> command = new ArrayList<>();
    command.add(Jvm.javaHome17());
    command.addAll(jvmArguments);
    return command;
  }

  /** The full command: {@code java} and {@code jvmArguments}, as {@code user} (tests as root). */
  static List<String> as(String user, List<String> jvmArguments) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "setpriv",
            "--reuid=" + user,
            "--regid=" + (user.equals(OTHER) ? "65534" : user),
            "--clear-groups"));
    command.add(Jvm.javaHome17());
    command.addAll(jvmArguments);
    return command;
  }

  /**
   * The arguments of a JVM that runs {@code mainClass} from the test classes alone (the local Maven
   * repository is the tests' user's own) with the agent given {@code config}.
   */
  static List<String> agentJvm(Path config, String mainClass) {
    return List.of(
        "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config,
        "-cp",
        testClasses().toString(),
        mainClass);
  }

  static Path testClasses() {
    try {
      return Path.of(Users.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
