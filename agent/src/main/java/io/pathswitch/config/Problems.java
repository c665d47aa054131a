package io.pathswitch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found in one source, collected so that all of them are reported at once. */
final class Problems {

  private final String source;
  private final List<ConfigProblem> found = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  void add(String key, String value, String expected) {
    found.add(new ConfigProblem(source, key, value, expected));
  }

  void missing(String key, String expected) {
    add(key, null, expected);
  }

  /**
   * Throws when anything was found, the problems in the order of their keys; problems of one key
   * stay in the order they were found.
   */
  void throwIfAny() throws ConfigException {
    if (!found.isEmpty()) {
      List<ConfigProblem> sorted = new ArrayList<>(found);
      sorted.sort(Comparator.comparing(ConfigProblem::key));
      throw new ConfigException(source, sorted);
    }
  }
}
