package io.pathswitch.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a whole configuration: sorts each key to the agent or to a switch, reads them, and reports
 * every problem at once. One reader reads one source; not thread-safe.
 */
final class ConfigReader {

  static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
  static final int DEFAULT_JDBC_REPEAT_WARNING = 10;

  private final String source;
  private final Path baseDirectory;
  private final Problems problems;
  private final Entries agent;
  private final Map<String, Entries> switches = new TreeMap<>();
  private final Set<String> invalidNames = new HashSet<>();

  /**
   * @param baseDirectory what a relative {@code state.file} is resolved against; {@code null} to
   *     keep it relative
   */
  private ConfigReader(String source, Path baseDirectory) {
    this.source = source;
    this.baseDirectory = baseDirectory;
    this.problems = new Problems(source);
    this.agent = new Entries("", problems);
  }

  static AgentConfig read(Properties properties, String source, Path baseDirectory)
      throws ConfigException {
    return new ConfigReader(source, baseDirectory).read(properties);
  }

  /** Reads a file, where a key given more than once is a problem too. */
  static AgentConfig read(Path file) throws ConfigException {
    RecordingProperties properties = load(file);
    ConfigReader reader = new ConfigReader(file.toString(), file.toAbsolutePath().getParent());
    properties.earlierValues.forEach(
        (key, earlier) -> reader.repeated(key, properties.getProperty(key), earlier));
    return reader.read(properties);
  }

  /**
   * The properties of a UTF-8 file. A leading byte order mark is dropped, since {@link
   * Properties#load(java.io.Reader)} would make it part of the first key.
   */
  private static RecordingProperties load(Path file) throws ConfigException {
    String source = file.toString();
    RecordingProperties properties = new RecordingProperties();
    try {
      if (Files.isDirectory(file)) {
        throw unreadable(source, "it is a directory");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      properties.load(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text));
      return properties;
    } catch (NoSuchFileException e) {
      throw unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(source, "permission denied");
    } catch (CharacterCodingException e) {
      throw unreadable(source, "it is not UTF-8 text");
    } catch (IOException e) {
      throw unreadable(source, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // Properties.load rejects a malformed \\uXXXX escape, without saying where
      throw unreadable(source, "it has a malformed \\uXXXX escape");
    }
  }

  /**
   * A key given twice is a problem, not a choice of the last value: the operator who edits the
   * first of the two would see no effect.
   */
  private void repeated(String key, String last, List<String> earlier) {
    problems.add(
        key,
        last.strip(),
        earlier.stream()
            .map(value -> "'" + value.strip() + "'")
            .collect(
                Collectors.joining(
                    " and ", "expected each key once, but it is also given as ", "")));
  }

  private static ConfigException unreadable(String source, String reason) {
    return new ConfigException(
        source, List.of(new ConfigProblem(source, "", null, "cannot read the file: " + reason)));
  }

  private AgentConfig read(Properties properties) throws ConfigException {
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      sort(key, properties.getProperty(key));
    }

    List<SwitchConfig> read = new ArrayList<>();
    switches.forEach((name, entries) -> SwitchReader.read(name, entries).ifPresent(read::add));
    Optional<Path> stateFile = agent.read("state.file", this::stateFile);
    OptionalLong guardMaxHeap =
        agent
            .read("guard.max-heap", Values::bytes)
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    boolean jdbcCount = agent.read("jdbc.count", true, Values::bool);
    int jdbcRepeatWarning =
        agent.read(
            "jdbc.repeat-warning",
            DEFAULT_JDBC_REPEAT_WARNING,
            text -> Values.wholeNumber(text, 2));
    String logLevel = agent.read("log.level", "info", ConfigReader::logLevel);

    problems.throwIfAny();
    return new AgentConfig(
        source, stateFile, guardMaxHeap, jdbcCount, jdbcRepeatWarning, logLevel, read);
  }

  /** Puts one key with the agent, with its switch, or among the problems. */
  private void sort(String key, String value) {
    if (key.isEmpty()) {
      // a line such as "=5" or ": 5"; Properties reads it as the empty key
      problems.add(key, value.strip(), "expected a key before the '=' or ':'");
      return;
    }
    if (KnownKeys.AGENT.contains(key)) {
      agent.put(key, value);
      return;
    }
    if (!key.startsWith(KnownKeys.SWITCH_PREFIX)) {
      unknown(key, value, KnownKeys.nearestTopLevel(key), topLevelKeys());
      return;
    }
    String rest = key.substring(KnownKeys.SWITCH_PREFIX.length());
    int dot = rest.indexOf('.');
    if (dot < 0) {
      unknown(
          key,
          value,
          Optional.empty(),
          "expected switch.<name>.<key>, such as switch.dashboard.legacy");
      return;
    }
    String name = rest.substring(0, dot);
    String switchKey = rest.substring(dot + 1);
    if (!KnownKeys.isSwitchName(name)) {
      invalidName(key, value, name);
    } else if (KnownKeys.SWITCH.contains(switchKey)) {
      switches
          .computeIfAbsent(name, n -> new Entries(KnownKeys.switchKey(n, ""), problems))
          .put(switchKey, value);
    } else {
      unknown(
          key,
          value,
          KnownKeys.nearestSwitchKey(name, switchKey),
          "expected switch.<name>.<key> with <key> one of " + String.join(", ", KnownKeys.SWITCH));
    }
  }

  private void unknown(String key, String value, Optional<String> nearest, String expected) {
    problems.add(
        key,
        value.strip(),
        nearest
            .map(k -> "unknown key; did you mean " + k + "?")
            .orElse("unknown key; " + expected));
  }

  /** Reported once per name, at its first key: the other keys would only repeat it. */
  private void invalidName(String key, String value, String name) {
    if (invalidNames.add(name)) {
      problems.add(
          key,
          value.strip(),
          "expected a switch name of lower-case letters, digits and dashes, such as "
              + nameLike(name));
    }
  }

  /** A valid name close to {@code name}, to show what is meant. */
  private static String nameLike(String name) {
    String like = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return like.matches(".*[a-z0-9].*") ? like : "dashboard";
  }

  private static String topLevelKeys() {
    return "expected switch.<name>.<key> or one of " + String.join(", ", KnownKeys.AGENT);
  }

  /**
   * The state file; a relative path is taken from the config file's directory rather than the
   * working directory of the JVM, which an operator attaching to a running JVM rarely knows.
   */
  private Path stateFile(String text) {
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("expected a file path");
    }
    return baseDirectory == null || path.isAbsolute() ? path : baseDirectory.resolve(path);
  }

  private static String logLevel(String text) {
    String level = text.strip().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("expected one of " + String.join(", ", LOG_LEVELS));
    }
    return level;
  }

  /**
   * Properties that remember, for a key given more than once, the values before its last one.
   * {@link Properties#load(java.io.Reader)} stores each entry through {@link #put}, and would
   * otherwise keep the last value without a word.
   */
  private static final class RecordingProperties extends Properties {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> earlierValues = new TreeMap<>();

    @Override
    public synchronized Object put(Object key, Object value) {
      Object earlier = super.put(key, value);
      if (earlier instanceof String text && key instanceof String name) {
        earlierValues.computeIfAbsent(name, k -> new ArrayList<>()).add(text);
      }
      return earlier;
    }
  }
}
