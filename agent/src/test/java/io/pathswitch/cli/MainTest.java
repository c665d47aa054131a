package io.pathswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  /** Above Linux's largest pid (2^22), so no process ever has it. */
  private static final String NO_SUCH_PID = "999999999";

  @TempDir Path folder;

  @Test
  void listsEveryCommandInItsHelp() {
    Cli cli = Cli.run("--help");

    assertThat(cli.exitCode).isZero();
    assertThat(cli.out)
        .contains("Usage: pathswitch")
        .contains("list", "attach", "status", "set", "rollback", "resume", "advance", "detach")
        .contains("check");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list",
        "attach",
        "status",
        "set",
        "rollback",
        "resume",
        "advance",
        "detach",
        "check"
      })
  void printsHelpForEveryCommand(String command) {
    Cli cli = Cli.run(command, "--help");

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).contains("Usage: pathswitch " + command);
    assertThat(cli.err).isEmpty();
  }

  @Test
  void exitsWithTwoAndTheUsageWithoutACommand() {
    Cli cli = Cli.run();

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).startsWith("give a command").contains("Usage: pathswitch");
  }

  @Test
  void exitsWithTwoForAnUnknownCommand() {
    Cli cli = Cli.run("flip", "1");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("Unmatched arguments").contains("Usage: pathswitch");
  }

  @Test
  void exitsWithTwoWhenThePidIsNotANumber() {
    Cli cli = Cli.run("status", "abc");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("'abc' is not a long").contains("Usage: pathswitch status");
  }

  @Test
  void exitsWithTwoWhenAnAssignmentIsNotKeyValue() {
    Cli cli = Cli.run("set", NO_SUCH_PID, "dashboard", "percentage");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err)
        .startsWith("expected key=value, got 'percentage'")
        .contains("Usage: pathswitch set");
  }

  @Test
  void exitsWithTwoWhenSetHasNoAssignment() {
    Cli cli = Cli.run("set", NO_SUCH_PID, "dashboard");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("Missing required parameter: 'key=value'");
  }

  @Test
  void exitsWithTwoForAnUnknownAgentArgument() {
    Cli cli = Cli.run("attach", NO_SUCH_PID, "colour=red");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err)
        .startsWith("unknown agent argument key 'colour' with value 'red'")
        .contains("Usage: pathswitch attach");
  }

  @Test
  void failsAtOnceWithOneLineWhenNoProcessHasThePid() {
    long start = System.nanoTime();

    Cli cli = Cli.run("attach", NO_SUCH_PID);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).isEqualTo("pathswitch attach: no process with pid " + NO_SUCH_PID + "\n");
    assertThat(cli.out).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "detach"})
  void failsWithOneLineForThisCommandsOwnPid(String command) {
    String self = Long.toString(ProcessHandle.current().pid());

    Cli cli = Cli.run(command, self);

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err)
        .isEqualTo("pathswitch " + command + ": pid " + self + " is this command itself\n");
  }

  @Test
  void failsAtOnceForAProcessThatIsNotAJvm() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      long start = System.nanoTime();

      Cli cli = Cli.run("status", Long.toString(sleep.pid()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(cli.exitCode).isEqualTo(1);
      assertThat(cli.err)
          .startsWith("pathswitch status: pid " + sleep.pid() + " is not a JVM (")
          .endsWith("sleep)\n");
    } finally {
      sleep.destroy();
    }
  }

  @Test
  void reportsEveryProblemOfTheConfigAndAttachesNothing() throws Exception {
    Path config = folder.resolve("bad.properties");
    Files.write(config, List.of("switch.a.legacy = x.Y#run", "switch.a.percentage = 150"));

    Cli cli = Cli.run("attach", NO_SUCH_PID, "config=" + config);

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err)
        .startsWith("pathswitch attach: 2 problems in " + config + "; nothing attached\n")
        .contains(config + ": switch.a.percentage = '150': expected a percentage from 0 to 100")
        .contains(config + ": switch.a.unified is missing");
  }

  @Test
  void joinsAssignmentsForTheJmxOperation() {
    assertThat(SetCommand.assignments(List.of("percentage=25", " enabled=true")))
        .isEqualTo("percentage=25,enabled=true");
    assertThat(SetCommand.assignments(List.of("percentage"))).isNull();
    assertThat(SetCommand.assignments(List.of("=5"))).isNull();
    assertThat(SetCommand.assignments(List.of("percentage=5,enabled=true"))).isNull();
  }

  @Test
  void givesTheAgentAPathWithACommaBare() {
    assertThat(AttachCommand.agentOptions(Path.of("/etc/app/pathswitch.properties")))
        .isEqualTo("config=/etc/app/pathswitch.properties");
    assertThat(AttachCommand.agentOptions(Path.of("/etc/a,b/pathswitch.properties")))
        .isEqualTo("/etc/a,b/pathswitch.properties");
  }

  @Test
  void keepsAMessageOnOneLine() {
    assertThat(Main.oneLine(new IllegalStateException("first\n  second\r\nthird ")))
        .isEqualTo("first; second; third");
    assertThat(Main.oneLine(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
