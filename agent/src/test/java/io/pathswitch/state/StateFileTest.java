package io.pathswitch.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathswitch.rollout.Rollout;
import io.pathswitch.state.StateFile.SwitchState;
import io.pathswitch.state.StateFile.UnreadableException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  private static final SwitchState DASHBOARD =
      new SwitchState(
          "dashboard",
          true,
          25.0,
          "divert",
          Optional.of(new Rollout.Snapshot(1, 4_740_000, false, "")));
  private static final SwitchState INVOICES =
      new SwitchState("invoices-2", false, 0.1 + 0.2, "shadow", Optional.empty());

  @TempDir Path directory;

  @Test
  void readsBackExactlyWhatItWrote() throws IOException {
    StateFile file = new StateFile(directory.resolve("state.properties"));
    String reason =
        "  tripped: 3 of 20 failed (15.0 % ≥ 1.0 %)\n\tC:\\temp=# é 😀 \u0000 \uD800 x\r\u2028 \uFEFF ";
    SwitchState paused =
        new SwitchState(
            "dashboard", true, 0, "live", Optional.of(new Rollout.Snapshot(4, 0, true, reason)));

    file.write(Map.of("dashboard", paused, "invoices-2", INVOICES));

    assertThat(file.read()).isEqualTo(Map.of("dashboard", paused, "invoices-2", INVOICES));
  }

  @Test
  void writesAVersionedFileThatAPersonCanRead() throws IOException {
    StateFile file = new StateFile(directory.resolve("state.properties"));

    file.write(Map.of("invoices-2", INVOICES, "dashboard", DASHBOARD));

    assertThat(Files.readString(file.path()))
        .isEqualTo(
            "# pathswitch runtime state: written by the agent at every change, read at start.\n"
                + "# Edit it only while the JVM is stopped.\n"
                + "pathswitch.state.version=1\n"
                + "switch.dashboard.enabled=true\n"
                + "switch.dashboard.percentage=25.0\n"
                + "switch.dashboard.mode=divert\n"
                + "switch.dashboard.rollout.step=1\n"
                + "switch.dashboard.rollout.elapsed-ms=4740000\n"
                + "switch.dashboard.rollout.paused=false\n"
                + "switch.dashboard.rollout.pause-reason=\n"
                + "switch.invoices-2.enabled=false\n"
                + "switch.invoices-2.percentage=0.30000000000000004\n"
                + "switch.invoices-2.mode=shadow\n");
  }

  @Test
  void readsAMissingFileAsNoState() throws IOException {
    StateFile file = new StateFile(directory.resolve("absent.properties"));

    assertThat(file.read()).isEmpty();
  }

  @Test
  void leavesNoTemporaryFileBehind() throws IOException {
    StateFile file = new StateFile(directory.resolve("state.properties"));

    file.write(Map.of("dashboard", DASHBOARD));
    file.write(Map.of("invoices-2", INVOICES));

    assertThat(filesIn(directory)).containsExactly("state.properties");
    assertThat(file.read()).containsOnlyKeys("invoices-2");
  }

  @Test
  void leavesNoTemporaryFileWhenTheRenameFails() throws IOException {
    Path occupied = directory.resolve("state.properties");
    Files.createDirectories(occupied.resolve("in-the-way"));
    StateFile file = new StateFile(occupied);

    assertThatThrownBy(() -> file.write(Map.of("dashboard", DASHBOARD)))
        .isInstanceOf(IOException.class);

    assertThat(filesIn(directory)).containsExactly("state.properties");
  }

  @Test
  void makesTheFileReadableAndWritableByItsOwnerOnly() throws IOException {
    assumeTrue(directory.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path path = directory.resolve("state.properties");
    Files.writeString(path, "old");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

    new StateFile(path).write(Map.of("dashboard", DASHBOARD));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
  }

  @Test
  void createsTheDirectoryItIsToBeWrittenIn() throws IOException {
    StateFile file = new StateFile(directory.resolve("var/pathswitch/state.properties"));

    file.write(Map.of("dashboard", DASHBOARD));

    assertThat(file.read()).containsEntry("dashboard", DASHBOARD);
  }

  @Test
  void refusesAStateFiledUnderAnotherName() {
    StateFile file = new StateFile(directory.resolve("state.properties"));

    assertThatThrownBy(() -> file.write(Map.of("billing", DASHBOARD)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state of switch dashboard is filed under 'billing'");
  }

  @Test
  void reportsAValueThatIsNotANumberWithItsPathLineAndKey() throws IOException {
    Path path =
        write(
            "pathswitch.state.version=1",
            "switch.dashboard.enabled=true",
            "",
            "switch.dashboard.percentage=abc",
            "switch.dashboard.mode=divert");

    assertThatThrownBy(() -> new StateFile(path).read())
        .isInstanceOf(UnreadableException.class)
        .hasMessage(
            "state file "
                + path
                + " is unreadable: line 4: switch.dashboard.percentage is 'abc', expected a number"
                + " from 0 to 100");
  }

  @Test
  void reportsAPercentageOutOfRange() throws IOException {
    Path path =
        write(
            "pathswitch.state.version=1",
            "switch.dashboard.enabled=true",
            "switch.dashboard.percentage=NaN",
            "switch.dashboard.mode=divert");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith(
            "line 3: switch.dashboard.percentage is 'NaN', expected a number from 0 to 100");
  }

  @Test
  void reportsAFileWithoutVersion() throws IOException {
    Path path = write("switch.dashboard.enabled=true");

    assertThatThrownBy(() -> new StateFile(path).read())
        .isInstanceOf(UnreadableException.class)
        .hasMessage(
            "state file "
                + path
                + " is unreadable: it has no pathswitch.state.version line, so it is not a state"
                + " file this agent wrote");
  }

  @Test
  void reportsAVersionThisAgentDoesNotRead() throws IOException {
    Path path = write("# newer", "pathswitch.state.version=2");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith(
            "line 2: pathswitch.state.version is '2', but this agent reads version 1");
  }

  @Test
  void reportsAnUnknownKey() throws IOException {
    Path path = write("pathswitch.state.version=1", "switch.dashboard.colour=blue");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith("line 2: unknown key 'switch.dashboard.colour'");
  }

  @Test
  void reportsAKeyGivenTwice() throws IOException {
    Path path =
        write("pathswitch.state.version=1", "switch.a.enabled=true", "switch.a.enabled=false");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith("line 3: switch.a.enabled is given twice (first on line 2)");
  }

  @Test
  void reportsAMissingField() throws IOException {
    Path path =
        write("pathswitch.state.version=1", "switch.a.enabled=true", "switch.a.mode=divert");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith("switch a (line 2) has no switch.a.percentage line");
  }

  @Test
  void reportsALineWithoutEquals() throws IOException {
    Path path = write("pathswitch.state.version=1", "switch.a.enabled true");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith("line 2: expected key=value, found 'switch.a.enabled true'");
  }

  @Test
  void reportsABadEscape() throws IOException {
    Path path = write("pathswitch.state.version=1", "switch.a.mode=div\\qert");

    assertThatThrownBy(() -> new StateFile(path).read())
        .hasMessageEndingWith(
            "line 2: switch.a.mode has an unknown escape \\q at character 4 of its value");
  }

  @Test
  void reportsBytesThatAreNotUtf8() throws IOException {
    Path path = directory.resolve("state.properties");
    Files.write(path, new byte[] {'a', '=', '1', '\n', 'b', '=', (byte) 0xC3, (byte) 0x28});

    assertThatThrownBy(() -> new StateFile(path).read())
        .isInstanceOf(UnreadableException.class)
        .hasMessageEndingWith("line 2: not UTF-8 text (byte offset 6)");
  }

  @Test
  void refusesAFileFarLargerThanAnyStateFile() throws IOException {
    Path path = directory.resolve("state.properties");
    try (RandomAccessFile sparse = new RandomAccessFile(path.toFile(), "rw")) {
      sparse.setLength(StateFile.MAX_SIZE + 1);
    }

    assertThatThrownBy(() -> new StateFile(path).read())
        .isInstanceOf(UnreadableException.class)
        .hasMessageEndingWith("it holds 16777217 bytes, more than a state file ever does (16 MiB)");
  }

  @Test
  void readsAFileEditedWithWindowsLineEndsAndByteOrderMark() throws IOException {
    Path path = directory.resolve("state.properties");
    String text =
        "\uFEFFpathswitch.state.version=1\r\nswitch.a.enabled=true\r\nswitch.a.percentage=5\r\nswitch.a.mode=divert\r\n";
    Files.writeString(path, text);

    assertThat(new StateFile(path).read())
        .containsExactly(Map.entry("a", new SwitchState("a", true, 5, "divert", Optional.empty())));
  }

  private Path write(String... lines) throws IOException {
    Path path = directory.resolve("state.properties");
    Files.write(path, List.of(lines), UTF_8);
    return path;
  }

  private static List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }
}
