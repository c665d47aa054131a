package io.pathswitch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The agent's whole configuration, read from a {@code .properties} file: the agent-wide settings
 * and every switch. Immutable.
 *
 * <p>Reading is all or nothing: every problem in the file is collected and reported together in one
 * {@link ConfigException}, so an operator fixes them in one pass and a config with errors installs
 * nothing. Values are stripped of surrounding whitespace, and a key with an empty value counts as
 * not given: its default applies, or it is missing when required.
 *
 * @param source the config file as given, or a description of where the values came from
 * @param stateFile {@code state.file}, where changes made at run time are kept; a relative path in
 *     a file read by {@link #load(Path)} is resolved against that file's directory
 * @param guardMaxHeapBytes {@code guard.max-heap}, in bytes; empty when there is no guard
 * @param jdbcCount {@code jdbc.count}, default {@code true}
 * @param jdbcRepeatWarning {@code jdbc.repeat-warning}, 2 or more, default 10
 * @param logLevel {@code log.level}: {@code error}, {@code warn}, {@code info} (the default),
 *     {@code debug} or {@code trace}, always lower-case
 * @param switches every switch, sorted by name (a properties file keeps no order)
 */
public record AgentConfig(
    String source,
    Optional<Path> stateFile,
    OptionalLong guardMaxHeapBytes,
    boolean jdbcCount,
    int jdbcRepeatWarning,
    String logLevel,
    List<SwitchConfig> switches) {

  /** Copies the switches so the configuration stays immutable. */
  public AgentConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stateFile, "stateFile");
    Objects.requireNonNull(guardMaxHeapBytes, "guardMaxHeapBytes");
    Objects.requireNonNull(logLevel, "logLevel");
    switches = List.copyOf(switches);
  }

  /**
   * Reads a UTF-8 {@code .properties} file. A key given more than once is a problem, since the file
   * would otherwise silently mean its last value.
   *
   * @throws ConfigException listing every problem in the file, or the one reason it cannot be read
   */
  public static AgentConfig load(Path file) throws ConfigException {
    return ConfigReader.read(file);
  }

  /**
   * Reads properties already loaded; a relative {@code state.file} stays relative.
   *
   * @param source names where the properties came from, in every problem reported
   * @throws ConfigException listing every problem in the properties
   */
  public static AgentConfig parse(Properties props, String source) throws ConfigException {
    return ConfigReader.read(props, source, null);
  }

  /** The switch called {@code name}, if there is one. */
  public Optional<SwitchConfig> switchNamed(String name) {
    return switches.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
