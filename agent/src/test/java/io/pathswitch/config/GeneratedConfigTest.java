package io.pathswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads about two thousand generated config files, each from its own seed: every one must either be
 * read or fail with a {@link ConfigException} whose every problem names its key and value, and
 * nothing else may be thrown. A failure names the seed; {@code new ConfigGenerator(seed)} makes the
 * same file again.
 */
class GeneratedConfigTest {

  private static final int FILES = 2_000;

  @TempDir static Path directory;

  static LongStream seeds() {
    return LongStream.range(0, FILES);
  }

  /** Enough to show the generator starts from valid configs, whatever their random keys. */
  static LongStream fewerSeeds() {
    return LongStream.range(0, FILES / 10);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void readsConfigOrReportsEveryProblemWithKeyAndValue(long seed) throws IOException {
    ConfigGenerator generator = new ConfigGenerator(seed);
    int mutations = (int) (seed % 7);
    List<String> lines = generator.lines(mutations);
    Path file =
        Files.write(directory.resolve("seed-" + seed + ".properties"), generator.bytes(lines));

    try {
      AgentConfig config = AgentConfig.load(file);

      assertReadable(seed, file, config);
    } catch (ConfigException e) {
      assertWellReported(seed, file, e, lines);
    } catch (RuntimeException | Error e) {
      fail("seed %d threw %s for lines %s%n%s", seed, e, lines, stackTrace(e));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("fewerSeeds")
  void generatesValidConfigBeforeAnyMutation(long seed) {
    List<String> lines = new ConfigGenerator(seed).validLines();

    try {
      AgentConfig config =
          AgentConfig.parse(AgentConfigTest.properties(lines.toArray(String[]::new)), "generated");

      assertThat(config.switches()).as("seed %d", seed).isNotEmpty();
    } catch (ConfigException e) {
      fail("seed %d: the generator's valid config is not: %s", seed, e.getMessage());
    }
  }

  private static void assertReadable(long seed, Path file, AgentConfig config) {
    assertThat(config.source()).as("seed %d", seed).isEqualTo(file.toString());
    assertThat(config.switches())
        .as("seed %d: switches sorted by name", seed)
        .isSortedAccordingTo(Comparator.comparing(SwitchConfig::name));
    for (SwitchConfig switchConfig : config.switches()) {
      List<RolloutStep> rollout = switchConfig.rollout();
      if (!rollout.isEmpty()) {
        assertThat(switchConfig.percentage())
            .as("seed %d", seed)
            .isEqualTo(rollout.get(0).percentage());
        assertThat(rollout.get(rollout.size() - 1).duration()).as("seed %d", seed).isEmpty();
      }
    }
  }

  private static void assertWellReported(
      long seed, Path file, ConfigException e, List<String> lines) {
    List<ConfigProblem> problems = e.problems();
    String context = "seed " + seed + ", lines " + lines + ", message:\n" + e.getMessage();

    assertThat(problems).as(context).isNotEmpty();
    assertThat(problems).as(context).isSortedAccordingTo(Comparator.comparing(ConfigProblem::key));
    assertThat(e.getMessage().split("\n", -1)).as(context).hasSize(problems.size() + 1);
    assertThat(e.getMessage())
        .as(context)
        .startsWith(
            problems.size()
                + (problems.size() == 1 ? " problem in " : " problems in ")
                + file
                + "; nothing installed\n");
    for (ConfigProblem problem : problems) {
      assertThat(problem.source()).as(context).isEqualTo(file.toString());
      assertThat(problem.expected()).as(context).isNotBlank();
      if (problem.key().isEmpty() && problem.value() == null) {
        assertThat(problem.expected()).as(context).startsWith("cannot read the file: ");
      } else if (problem.value() == null) {
        assertThat(problem.toString()).as(context).contains(" is missing: expected ");
      } else {
        String line = problem.toString();
        assertThat(line).as(context).startsWith(file + ": ").contains(" = '");
        assertThat(line.contains("': expected ") || line.contains("': unknown key; "))
            .as("%s%nnames neither what was expected nor an unknown key: %s", context, line)
            .isTrue();
      }
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
