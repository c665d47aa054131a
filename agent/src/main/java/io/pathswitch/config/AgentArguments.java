package io.pathswitch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's argument string, as given after {@code -javaagent:pathswitch-agent.jar=} or to {@code
 * agentmain}: {@code key=value} pairs separated by commas, or a bare path naming the config file.
 * Immutable.
 *
 * <p>Quotes around the whole string or around a value are dropped: jcmd cuts an unquoted argument
 * at its first {@code =}, so its users write {@code '"config=/x"'} and the agent receives {@code
 * "config=/x"} with the double quotes. Because of that cut, a bare path is the simplest form for
 * jcmd. A path that holds {@code =} must be given as {@code config=<path>}, and one that holds a
 * comma only as a bare path.
 *
 * @param configPath the config file: from {@code config}, a bare path, or else the system property
 *     {@value #CONFIG_PROPERTY}
 * @param options the pairs given other than {@code config}, in written order
 */
public record AgentArguments(Optional<String> configPath, Map<String, String> options) {

  /** The system property naming the config file when the argument string does not. */
  static final String CONFIG_PROPERTY = "pathswitch.config";

  /** Every key the argument string may hold. */
  static final Set<String> KNOWN_KEYS = Set.of("config");

  /** Copies the options so the arguments stay immutable. */
  public AgentArguments {
    Objects.requireNonNull(configPath, "configPath");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * Reads the argument string.
   *
   * @param agentArgs as the JVM passes it; {@code null} or blank for none
   * @throws IllegalArgumentException for a pair without {@code =}, an unknown key (the message
   *     names the key and the value and lists the known keys), a key given twice or an empty {@code
   *     config}
   */
  public static AgentArguments parse(String agentArgs) {
    String text = unquote(agentArgs == null ? "" : agentArgs);
    Map<String, String> pairs = new LinkedHashMap<>();
    if (!text.isEmpty() && text.indexOf('=') < 0) {
      pairs.put("config", text);
    } else if (!text.isEmpty()) {
      for (String pair : text.split(",")) {
        addPair(pairs, pair.strip());
      }
    }

    Optional<String> configPath = Optional.ofNullable(pairs.remove("config"));
    if (configPath.isEmpty()) {
      configPath =
          Optional.ofNullable(System.getProperty(CONFIG_PROPERTY))
              .map(String::strip)
              .filter(path -> !path.isEmpty());
    }
    return new AgentArguments(configPath, pairs);
  }

  private static void addPair(Map<String, String> pairs, String pair) {
    if (pair.isEmpty()) {
      return;
    }
    int equals = pair.indexOf('=');
    if (equals < 0) {
      throw new IllegalArgumentException(
          "agent argument '"
              + pair
              + "' is not key=value; expected key=value pairs separated by commas, with keys "
              + knownKeys()
              + ", or a bare path to the config file");
    }
    String key = pair.substring(0, equals).strip();
    String value = unquote(pair.substring(equals + 1));
    if (!KNOWN_KEYS.contains(key)) {
      throw new IllegalArgumentException(
          "unknown agent argument key '"
              + key
              + "' with value '"
              + value
              + "'; known keys: "
              + knownKeys());
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          "agent argument " + key + " is empty; expected the path of the config file");
    }
    String earlier = pairs.putIfAbsent(key, value);
    if (earlier != null) {
      throw new IllegalArgumentException(
          "agent argument " + key + " is given twice, '" + earlier + "' and '" + value + "'");
    }
  }

  /** The text stripped of whitespace and of any number of matching quotes around it. */
  private static String unquote(String text) {
    String unquoted = text.strip();
    while (unquoted.length() >= 2
        && (unquoted.charAt(0) == '"' || unquoted.charAt(0) == '\'')
        && unquoted.charAt(unquoted.length() - 1) == unquoted.charAt(0)) {
      unquoted = unquoted.substring(1, unquoted.length() - 1).strip();
    }
    return unquoted;
  }

  private static String knownKeys() {
    return String.join(", ", new TreeSet<>(KNOWN_KEYS));
  }
}
