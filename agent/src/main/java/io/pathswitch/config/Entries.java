package io.pathswitch.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values given under one prefix (a switch's {@code switch.<name>.}, or none for the agent-wide
 * keys), read into typed values. A value that does not parse is recorded as a problem and read as
 * not given, so that reading goes on and finds every problem. Not thread-safe.
 */
final class Entries {

  private final String prefix;
  private final Problems problems;
  private final Map<String, String> values = new HashMap<>();

  Entries(String prefix, Problems problems) {
    this.prefix = prefix;
    this.problems = problems;
  }

  /** Records {@code value}, stripped, under {@code key} (without the prefix). */
  void put(String key, String value) {
    values.put(key, value.strip());
  }

  /** Whether {@code key} has a value; an empty value counts as not given. */
  boolean given(String key) {
    return !values.getOrDefault(key, "").isEmpty();
  }

  /** The value of {@code key} when given and valid; a problem is recorded when it is not valid. */
  <T> Optional<T> read(String key, Function<String, T> parser) {
    if (!given(key)) {
      return Optional.empty();
    }
    String value = values.get(key);
    try {
      return Optional.of(parser.apply(value));
    } catch (IllegalArgumentException e) {
      problems.add(prefix + key, value, e.getMessage());
      return Optional.empty();
    }
  }

  /** The value of {@code key}, or {@code fallback} when it is not given or not valid. */
  <T> T read(String key, T fallback, Function<String, T> parser) {
    return read(key, parser).orElse(fallback);
  }

  /** The value of a key that must be given; a problem is recorded when it is missing. */
  <T> Optional<T> required(String key, Function<String, T> parser, String expected) {
    if (!given(key)) {
      problems.missing(prefix + key, expected);
    }
    return read(key, parser);
  }

  /** Records a problem with the value of {@code key}, found by looking at other keys too. */
  void problem(String key, String expected) {
    problems.add(prefix + key, values.get(key), expected);
  }
}
