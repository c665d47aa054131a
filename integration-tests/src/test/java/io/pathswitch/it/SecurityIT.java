package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent exposes, in real JVMs: no listening socket of its own, operators reach only JVMs
 * of their own user, and every change made over JMX is logged with who made it.
 */
class SecurityIT {

  private static final String APP = "io.pathswitch.it.apps.ConsoleApp";

  @TempDir Path folder;

  @Test
  void opensNoListeningSocketWhenAttachedAndOperated() throws Exception {
    Path config = FaultsIT.config(folder);

    try (Jvm app = Jvm.app(null, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      Set<String> before = Sockets.listening(app.pid());
      LoadIT.attach(app.pid(), config);
      FaultsIT.awaitBean(app, input);
      String set = FaultsIT.command(app, input, "set greeter Percentage 50");
      String answers = FaultsIT.command(app, input, "call 100");
      Set<String> after = Sockets.listening(app.pid());
      System.out.println(
          "SecurityIT listening sockets before attach " + before + ", after " + after);

      assertThat(set).isEqualTo("set: ok");
      assertThat(answers).doesNotContain("legacy=0 ").doesNotContain("unified=0 ");
      assertThat(after)
          .as("the JVM's attach listener is the only socket the attach added")
          .containsExactlyInAnyOrderElementsOf(with(before, "unix " + attachSocket(app.pid())));
      assertThat(after).noneMatch(socket -> socket.startsWith("tcp") || socket.startsWith("udp"));
    }
  }

  /**
   * The JDK's attach API, which the command line uses, lets a user reach only the JVMs of that user
   * (and root all of them): the target runs as {@code daemon}, and {@code nobody} neither lists it
   * nor attaches to it, through the API or the command line, while {@code daemon} does.
   */
  @Test
  void reachesOnlyJvmsOfTheSameUser() throws Exception {
    assumeTrue(Users.root(), "switching users needs root; as one user only same-user is testable");
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = FaultsIT.config(folder);

    try (Jvm target = Jvm.command(Users.as("daemon", Users.agentJvm(config, APP)))) {
      target.awaitLine("ready"::equals, Jvm.START);
      target.awaitLine(line -> line.contains("installed at launch"), Jvm.START);
      String sameUser = attachAs("daemon", target.pid());
      String otherUser = attachAs("nobody", target.pid());
      Cli listSameUser = cliAs("daemon", "list");
      Cli listOtherUser = cliAs("nobody", "list");
      Cli statusOtherUser = cliAs("nobody", "status", Long.toString(target.pid()));
      System.out.println("SecurityIT attach to daemon's JVM as nobody: " + otherUser);
      System.out.println("SecurityIT status of daemon's JVM as nobody: " + statusOtherUser);

      assertThat(sameUser).isEqualTo("listed: true\nattach: ok");
      assertThat(otherUser).startsWith("listed: false\nattach: refused ");
      assertThat(listSameUser.out).contains(target.pid() + " ");
      assertThat(listOtherUser.out).doesNotContain(target.pid() + " ");
      assertThat(statusOtherUser.exitCode).as(statusOtherUser.toString()).isEqualTo(1);
      assertThat(statusOtherUser.err).contains("belongs to user daemon, not nobody");
    }
  }

  private static Cli cliAs(String user, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            Users.as(
                user,
                List.of(
                    "-jar", Users.readableCopies().resolve("pathswitch-agent.jar").toString())));
    command.addAll(List.of(args));
    return Cli.exec(command);
  }

  @Test
  void logsEveryChangeMadeOverJmxWithItsSource() throws Exception {
    Path config = FaultsIT.config(folder, "switch.greeter.percentage = 0");

    try (Jvm app = Jvm.app(config, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      FaultsIT.awaitBean(app, input);
      FaultsIT.command(app, input, "call 1");
      List<String> answers = new ArrayList<>();
      answers.add(FaultsIT.command(app, input, "set greeter Percentage 100"));
      answers.add(FaultsIT.command(app, input, "set greeter Mode shadow"));
      answers.add(FaultsIT.command(app, input, "set greeter Enabled false"));
      answers.add(
          FaultsIT.command(app, input, "assign greeter enabled=true,percentage=25 CLI by ops"));
      answers.add(FaultsIT.command(app, input, "set greeter Percentage 150"));

      assertThat(answers)
          .containsExactly(
              "set: ok",
              "set: ok",
              "set: ok",
              "assign: ON diverting 25 % of calls",
              "set: refused javax.management.RuntimeMBeanException:"
                  + " java.lang.IllegalArgumentException: switch greeter: Percentage = '150.0':"
                  + " expected a percentage from 0 to 100");
      assertThat(app.errText())
          .contains("switch greeter: Percentage 0 % -> 100 % (JMX)")
          .contains("switch greeter: Mode DIVERT -> SHADOW (JMX)")
          .contains("switch greeter: Enabled true -> false (JMX)")
          .contains("switch greeter: Enabled false -> true (CLI by ops)")
          .contains("switch greeter: Percentage 100 % -> 25 % (CLI by ops)")
          .doesNotContain("Percentage 25 % -> 150");
    }
  }

  private static String attachAs(String user, long pid) throws Exception {
    try (Jvm attacher =
        Jvm.command(
            Users.as(
                user,
                List.of(
                    "-cp",
                    Users.readableCopies().resolve("test-classes").toString(),
                    "io.pathswitch.it.apps.Attacher",
                    Long.toString(pid))))) {
      attacher.waitForExit(Jvm.START);
      return attacher.outText();
    }
  }

  /**
   * The JVM's attach listener socket: HotSpot binds it under a temporary name and then renames the
   * file, and {@code /proc} keeps the name it was bound with.
   */
  private static String attachSocket(long pid) {
    return "/tmp/.java_pid" + pid + ".tmp";
  }

  private static Set<String> with(Set<String> sockets, String socket) {
    Set<String> all = new TreeSet<>(sockets);
    all.add(socket);
    return all;
  }

  /**
   * The listening sockets of one process, read from {@code /proc}: the sockets in its network
   * namespace's tables ({@code net/tcp}, {@code tcp6}, {@code udp}, {@code udp6}, {@code unix})
   * whose inodes are among its open files. Each as "tcp 0100007F:8A3C" or "unix /path".
   */
  static final class Sockets {

    private Sockets() {}

    static Set<String> listening(long pid) throws IOException {
      Set<String> inodes = socketInodes(pid);
      Set<String> listening = new TreeSet<>();
      for (String table : List.of("tcp", "tcp6")) {
        for (String[] row : rows(pid, table)) {
          if (row[3].equals("0A") && inodes.contains(row[9])) {
            listening.add(table + " " + row[1]);
          }
        }
      }
      for (String table : List.of("udp", "udp6")) {
        for (String[] row : rows(pid, table)) {
          if (inodes.contains(row[9])) {
            listening.add(table + " " + row[1]);
          }
        }
      }
      for (String[] row : rows(pid, "unix")) {
        boolean accepting = (Integer.parseInt(row[3], 16) & 0x10000) != 0;
        if (accepting && inodes.contains(row[6])) {
          listening.add("unix " + (row.length > 7 ? row[7] : "(unnamed)"));
        }
      }
      return listening;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
      Set<String> inodes = new TreeSet<>();
      try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        for (Path fd : (Iterable<Path>) fds::iterator) {
          try {
            String link = Files.readSymbolicLink(fd).toString();
            if (link.startsWith("socket:[")) {
              inodes.add(link.substring("socket:[".length(), link.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // The descriptor was closed between listing and reading: not a socket of interest.
          }
        }
      }
      return inodes;
    }

    private static List<String[]> rows(long pid, String table) throws IOException {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
      List<String[]> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        rows.add(line.trim().split("\\s+"));
      }
      return rows;
    }
  }
}
