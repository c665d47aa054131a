package io.pathswitch.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a configuration has problems: it then installs nothing. Immutable.
 *
 * <p>The message has a header line, {@code 2 problems in pathswitch.properties; nothing installed},
 * then one line per {@link ConfigProblem}, in the order of their keys. The exception carries no
 * stack trace: it reports a mistake in the config, not in the agent, and the operator reading the
 * log needs the lines above, not the agent's call stack.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  /**
   * @param source the config file as given, or a description of where the values came from
   * @param problems at least one, in the order to report them
   */
  ConfigException(String source, List<ConfigProblem> problems) {
    super(message(source, problems), null, true, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order of their keys. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(String source, List<ConfigProblem> problems) {
    String header =
        problems.size()
            + (problems.size() == 1 ? " problem in " : " problems in ")
            + source
            + "; nothing installed";
    return problems.stream()
        .map(ConfigProblem::toString)
        .collect(Collectors.joining("\n", header + "\n", ""));
  }
}
