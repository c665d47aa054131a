package io.pathswitch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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
    Path shared = readableCopies();
    return List.of(
        "-javaagent:" + shared.resolve("pathswitch-agent.jar") + "=config=" + config,
        "-cp",
        shared.resolve("test-classes").toString(),
        mainClass);
  }

  private static Path copies;

  /**
   * Copies of the agent's jar and the test classes in a folder any user may read: the build's own
   * folders may be closed to other users (a clone in a {@code mktemp -d} folder is {@code
   * rwx------}). Made once per test JVM and removed when it exits.
   */
  static synchronized Path readableCopies() {
    if (copies != null) {
      return copies;
    }
    try {
      Path folder =
          Files.createTempDirectory(
              "pathswitch-it-", PosixFilePermissions.asFileAttribute(READABLE_FOLDER));
      Files.setPosixFilePermissions(folder, READABLE_FOLDER);
      copyReadable(Jvm.AGENT_JAR, folder.resolve("pathswitch-agent.jar"));
      Path classes = testClasses();
      try (Stream<Path> tree = Files.walk(classes)) {
        for (Path source : (Iterable<Path>) tree::iterator) {
          copyReadable(source, folder.resolve("test-classes").resolve(classes.relativize(source)));
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder)));
      copies = folder;
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Set<PosixFilePermission> READABLE_FOLDER =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private static void copyReadable(Path source, Path target) throws IOException {
    if (Files.isDirectory(source)) {
      Files.createDirectories(target);
      Files.setPosixFilePermissions(target, READABLE_FOLDER);
    } else {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> tree = Files.walk(folder)) {
      tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is harmless; the system cleans /tmp.
    }
  }

  static Path testClasses() {
    try {
      return Path.of(Users.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
