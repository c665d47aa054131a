package io.pathswitch.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The keys a config may hold, and the nearest one to a key that is not among them. */
final class KnownKeys {

  static final String SWITCH_PREFIX = "switch.";

  /** The keys of one switch, after {@code switch.<name>.}, in the order the product lists them. */
  static final List<String> SWITCH =
      List.of(
          "legacy",
          "unified",
          "enabled",
          "percentage",
          "key",
          "include",
          "exclude",
          "mode",
          "compare.ratio",
          "compare.with",
          "fallback",
          "trip.latency",
          "trip.slow-rate",
          "trip.error-rate",
          "trip.max-queries",
          "trip.window",
          "trip.min-calls",
          "trip.cool-down",
          "trip.probes",
          "health.latency",
          "health.error-rate",
          "health.query-reduction",
          "rollout");

  /** The agent-wide keys. */
  static final List<String> AGENT =
      List.of("state.file", "guard.max-heap", "jdbc.count", "jdbc.repeat-warning", "log.level");

  /** Suggestions further than this from the key are more likely wrong than helpful. */
  private static final int MAX_DISTANCE = 2;

  private static final Pattern SWITCH_NAME = Pattern.compile("[a-z0-9-]+");

  private KnownKeys() {}

  static boolean isSwitchName(String name) {
    return SWITCH_NAME.matcher(name).matches();
  }

  /** A key of switch {@code name}: {@code switch.<name>.<key>}. */
  static String switchKey(String name, String key) {
    return SWITCH_PREFIX + name + "." + key;
  }

  /**
   * The known key nearest to an unknown top-level key: an agent-wide key, or a switch key when the
   * unknown one looks like {@code <something>.<name>.<key>} (a misspelled {@code switch.}).
   */
  static Optional<String> nearestTopLevel(String key) {
    Optional<String> agent = nearest(key, AGENT);
    if (agent.isPresent()) {
      return agent;
    }
    int first = key.indexOf('.');
    int second = key.indexOf('.', first + 1);
    if (first < 0 || second < 0) {
      return Optional.empty();
    }
    String name = key.substring(first + 1, second);
    return nearest(key, SWITCH.stream().map(k -> switchKey(name, k)).toList());
  }

  /**
   * The known key of switch {@code name} nearest to {@code key}, given without the {@code
   * switch.<name>.} prefix; the suggestion is a full key.
   */
  static Optional<String> nearestSwitchKey(String name, String key) {
    return nearest(switchKey(name, key), SWITCH.stream().map(k -> switchKey(name, k)).toList());
  }

  /** The first of the nearest candidates within {@link #MAX_DISTANCE} edits of {@code key}. */
  static Optional<String> nearest(String key, List<String> candidates) {
    String nearest = null;
    int nearestDistance = MAX_DISTANCE + 1;
    for (String candidate : candidates) {
      int distance = distance(key, candidate);
      if (distance < nearestDistance) {
        nearest = candidate;
        nearestDistance = distance;
      }
    }
    return Optional.ofNullable(nearest);
  }

  /**
   * The Levenshtein distance (insertions, deletions and substitutions of one char), or {@code
   * MAX_DISTANCE + 1} for strings whose lengths alone put them further apart.
   */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > MAX_DISTANCE) {
      return MAX_DISTANCE + 1;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
