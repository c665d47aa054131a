package io.pathswitch.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one switch from its keys, recording every problem in them. */
final class SwitchReader {

  static final double DEFAULT_PERCENTAGE = 100;
  static final double DEFAULT_COMPARE_RATIO = 1;
  static final Duration DEFAULT_TRIP_LATENCY = Duration.ofSeconds(2);
  static final double DEFAULT_TRIP_SLOW_RATE = 0.5;
  static final double DEFAULT_TRIP_ERROR_RATE = 0.01;
  static final int DEFAULT_TRIP_WINDOW = 100;
  static final int DEFAULT_TRIP_MIN_CALLS = 20;
  static final Duration DEFAULT_TRIP_COOL_DOWN = Duration.ofSeconds(60);
  static final int DEFAULT_TRIP_PROBES = 5;
  static final Duration DEFAULT_HEALTH_LATENCY = Duration.ofMillis(500);
  static final double DEFAULT_HEALTH_ERROR_RATE = 0.001;

  private SwitchReader() {}

  /**
   * The switch {@code name}, or empty when its legacy or unified method is missing or invalid; any
   * other bad value is recorded and read as its default, so the switch can still be built.
   */
  static Optional<SwitchConfig> read(String name, Entries entries) {
    Optional<MethodRef> legacy =
        entries.required(
            "legacy",
            MethodRef::parse,
            "expected the method whose calls are diverted, such as "
                + "pkg.Class#method or pkg.Class#method(long,java.lang.String)");
    Optional<MethodRef> unified =
        entries.required(
            "unified",
            MethodRef::parse,
            "expected the method calls are diverted to, such as "
                + "pkg.Class#method or pkg.Class#method(long,java.lang.String)");

    boolean enabled = entries.read("enabled", false, Values::bool);
    List<RolloutStep> rollout = entries.read("rollout", List.of(), Values::rollout);
    double percentage = percentage(entries, rollout);
    OptionalInt keyArgument =
        entries.read("key", Values::argument).map(OptionalInt::of).orElse(OptionalInt.empty());
    Set<String> include = entries.read("include", Set.of(), SwitchReader::keys);
    Set<String> exclude = excluded(entries, include);

    Mode mode = entries.read("mode", Mode.DIVERT, Values::mode);
    double compareRatio = entries.read("compare.ratio", DEFAULT_COMPARE_RATIO, Values::share);
    Optional<MethodRef> compareWith = entries.read("compare.with", MethodRef::parse);
    boolean fallback = entries.read("fallback", true, Values::bool);

    Duration tripLatency =
        entries.read("trip.latency", DEFAULT_TRIP_LATENCY, Values::positiveDuration);
    double tripSlowRate = entries.read("trip.slow-rate", DEFAULT_TRIP_SLOW_RATE, Values::share);
    double tripErrorRate = entries.read("trip.error-rate", DEFAULT_TRIP_ERROR_RATE, Values::share);
    OptionalInt tripMaxQueries =
        entries
            .read("trip.max-queries", text -> Values.wholeNumber(text, 0))
            .map(OptionalInt::of)
            .orElse(OptionalInt.empty());
    int tripWindow = tripWindow(entries);
    int tripMinCalls = tripMinCalls(entries, tripWindow);
    Duration tripCoolDown =
        entries.read("trip.cool-down", DEFAULT_TRIP_COOL_DOWN, Values::duration);
    int tripProbes =
        entries.read("trip.probes", DEFAULT_TRIP_PROBES, text -> Values.wholeNumber(text, 1));

    Duration healthLatency =
        entries.read("health.latency", DEFAULT_HEALTH_LATENCY, Values::positiveDuration);
    double healthErrorRate =
        entries.read("health.error-rate", DEFAULT_HEALTH_ERROR_RATE, Values::share);
    OptionalDouble healthQueryReduction =
        entries
            .read("health.query-reduction", Values::share)
            .map(OptionalDouble::of)
            .orElse(OptionalDouble.empty());

    if (legacy.isEmpty() || unified.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SwitchConfig(
            name,
            legacy.get(),
            unified.get(),
            enabled,
            percentage,
            keyArgument,
            include,
            exclude,
            mode,
            compareRatio,
            compareWith,
            fallback,
            tripLatency,
            tripSlowRate,
            tripErrorRate,
            tripMaxQueries,
            tripWindow,
            tripMinCalls,
            tripCoolDown,
            tripProbes,
            healthLatency,
            healthErrorRate,
            healthQueryReduction,
            rollout));
  }

  /**
   * The percentage, or the first step's with a rollout. Both keys together are an error rather than
   * one silently winning: an operator who raises {@code percentage} while a rollout is written
   * would otherwise see no effect.
   */
  private static double percentage(Entries entries, List<RolloutStep> rollout) {
    double percentage = entries.read("percentage", DEFAULT_PERCENTAGE, Values::percentage);
    if (entries.given("percentage") && entries.given("rollout")) {
      entries.problem(
          "percentage",
          "expected either percentage or rollout, not both: the rollout's first step sets the"
              + " starting percentage");
    }
    return rollout.isEmpty() ? percentage : rollout.get(0).percentage();
  }

  /** Keys that never take the unified path; a key also included is an error, not a tie. */
  private static Set<String> excluded(Entries entries, Set<String> include) {
    Set<String> exclude = entries.read("exclude", Set.of(), SwitchReader::keys);
    Set<String> both = new LinkedHashSet<>(exclude);
    both.retainAll(include);
    if (both.isEmpty()) {
      return exclude;
    }
    entries.problem(
        "exclude",
        "expected keys not also in include, but "
            + String.join(", ", both)
            + (both.size() == 1 ? " is" : " are")
            + " in both");
    exclude = new LinkedHashSet<>(exclude);
    exclude.removeAll(both);
    return exclude;
  }

  private static int tripWindow(Entries entries) {
    return entries.read(
        "trip.window",
        DEFAULT_TRIP_WINDOW,
        text ->
            Values.wholeNumber(
                text,
                1,
                SwitchConfig.MAX_TRIP_WINDOW,
                "expected a whole number from 1 to " + SwitchConfig.MAX_TRIP_WINDOW));
  }

  /**
   * The fewest calls judged, which cannot exceed the window. Its default follows a smaller window
   * down, so that setting only {@code trip.window=10} is not an error about a key never written.
   */
  private static int tripMinCalls(Entries entries, int tripWindow) {
    return entries.read(
        "trip.min-calls",
        Math.min(DEFAULT_TRIP_MIN_CALLS, tripWindow),
        text ->
            Values.wholeNumber(
                text,
                1,
                tripWindow,
                "expected a whole number from 1 to " + tripWindow + ", the trip.window"));
  }

  /** A comma-separated list of keys, trimmed, empty entries left out, in written order. */
  private static Set<String> keys(String text) {
    return Arrays.stream(text.split(","))
        .map(String::strip)
        .filter(key -> !key.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
