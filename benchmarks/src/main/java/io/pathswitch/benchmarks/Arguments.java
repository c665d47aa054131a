package io.pathswitch.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code key=value} arguments of {@link BenchmarkMain}; an unknown key or a missing agent jar
 * stops the run before any fork starts.
 */
record Arguments(
    String mode, Path agent, Path out, String include, Optional<Path> sample, boolean process) {

  private static final Set<String> KEYS =
      Set.of("mode", "agent", "out", "include", "sample", "process");

  static Arguments parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !KEYS.contains(pair[0])) {
        throw new IllegalArgumentException(
            "argument '" + arg + "' is not key=value with a key among " + KEYS);
      }
      values.put(pair[0], pair[1]);
    }
    String mode = values.getOrDefault("mode", "quick");
    if (!mode.equals("quick") && !mode.equals("full")) {
      throw new IllegalArgumentException("mode = '" + mode + "': expected quick or full");
    }
    Path agent = absolute(values.getOrDefault("agent", "agent/target/pathswitch-agent.jar"));
    if (!agent.toFile().isFile()) {
      throw new IllegalArgumentException(
          "agent = '"
              + agent
              + "': no such jar; build it first with mvn -pl agent -am package -DskipTests");
    }
    Optional<Path> sample =
        Optional.ofNullable(values.get("sample"))
            .map(Arguments::absolute)
            .filter(p -> p.toFile().isFile());
    return new Arguments(
        mode,
        agent,
        absolute(values.getOrDefault("out", "benchmarks/target/bench")),
        values.getOrDefault("include", ""),
        sample,
        !"false".equals(values.get("process")));
  }

  boolean quick() {
    return mode.equals("quick");
  }

  /**
   * The JMH include pattern of a group ({@code group}, a regular expression found in the benchmark
   * name, or empty for all) narrowed to the benchmarks that also match {@link #include}.
   */
  String includes(String group) {
    if (include.isEmpty()) {
      return group.isEmpty() ? ".*" : group;
    }
    return "^(?=.*(?:" + include + ")).*" + group;
  }

  private static Path absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize();
  }
}
