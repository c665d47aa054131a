package io.pathswitch.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One switch from the config: the legacy method whose calls it diverts, the unified method it
 * diverts them to, and how much, how and when. Immutable: what changes at run time lives in the
 * switch, not here.
 *
 * <p>Each component below names the key {@code switch.<name>.<key>} it comes from and its default.
 *
 * @param name lower-case letters, digits and dashes
 * @param legacy {@code legacy}, required
 * @param unified {@code unified}, required
 * @param enabled {@code enabled}, default {@code false}
 * @param percentage {@code percentage}, 0 to 100, default 100; with a {@code rollout}, the
 *     percentage of its first step (giving both keys is an error)
 * @param keyArgument {@code key}: {@code argN} as N; empty when each call is bucketed on its own
 * @param include {@code include}, keys that always take the unified path, in written order
 * @param exclude {@code exclude}, keys that never take the unified path, none also in {@code
 *     include}
 * @param mode {@code mode}, default {@link Mode#DIVERT}
 * @param compareRatio {@code compare.ratio}, 0 to 1, default 1 (100 %)
 * @param compareWith {@code compare.with}; empty to compare with {@code equals}
 * @param fallback {@code fallback}, default {@code true}
 * @param tripLatency {@code trip.latency}, above 0, default 2 s
 * @param tripSlowRate {@code trip.slow-rate}, 0 to 1, default 0.5
 * @param tripErrorRate {@code trip.error-rate}, 0 to 1, default 0.01
 * @param tripMaxQueries {@code trip.max-queries}, 0 or more; empty when not limited
 * @param tripWindow {@code trip.window}, 1 to {@value #MAX_TRIP_WINDOW}, default 100
 * @param tripMinCalls {@code trip.min-calls}, 1 to {@code tripWindow}, default 20 or the window if
 *     smaller
 * @param tripCoolDown {@code trip.cool-down}, 0 or more, default 60 s
 * @param tripProbes {@code trip.probes}, 1 or more, default 5
 * @param healthLatency {@code health.latency}, above 0, default 500 ms
 * @param healthErrorRate {@code health.error-rate}, 0 to 1, default 0.001
 * @param healthQueryReduction {@code health.query-reduction}, 0 to 1; empty when not required
 * @param rollout {@code rollout}; empty when there is none
 */
public record SwitchConfig(
    String name,
    MethodRef legacy,
    MethodRef unified,
    boolean enabled,
    double percentage,
    OptionalInt keyArgument,
    Set<String> include,
    Set<String> exclude,
    Mode mode,
    double compareRatio,
    Optional<MethodRef> compareWith,
    boolean fallback,
    Duration tripLatency,
    double tripSlowRate,
    double tripErrorRate,
    OptionalInt tripMaxQueries,
    int tripWindow,
    int tripMinCalls,
    Duration tripCoolDown,
    int tripProbes,
    Duration healthLatency,
    double healthErrorRate,
    OptionalDouble healthQueryReduction,
    List<RolloutStep> rollout) {

  /**
   * The largest {@code trip.window}: the window is kept call by call, so its size is memory the
   * application pays for.
   */
  static final int MAX_TRIP_WINDOW = 100_000;

  /**
   * Checks every component on its own and against the others, as the config file does.
   *
   * @throws IllegalArgumentException naming the component that is out of range
   */
  public SwitchConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(unified, "unified");
    Objects.requireNonNull(keyArgument, "keyArgument");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(compareWith, "compareWith");
    Objects.requireNonNull(tripMaxQueries, "tripMaxQueries");
    Objects.requireNonNull(tripCoolDown, "tripCoolDown");
    Objects.requireNonNull(healthQueryReduction, "healthQueryReduction");
    include = Collections.unmodifiableSet(new LinkedHashSet<>(include));
    exclude = Collections.unmodifiableSet(new LinkedHashSet<>(exclude));
    rollout = List.copyOf(rollout);

    check(
        name, KnownKeys.isSwitchName(name), "name", name, "lower-case letters, digits and dashes");
    check(name, percentage >= 0 && percentage <= 100, "percentage", percentage, "from 0 to 100");
    check(name, keyArgument.orElse(0) >= 0, "keyArgument", keyArgument, "0 or more");
    check(
        name, Collections.disjoint(include, exclude), "exclude", exclude, "no key also in include");
    checkShare(name, "compareRatio", compareRatio);
    checkPositive(name, "tripLatency", tripLatency);
    checkShare(name, "tripSlowRate", tripSlowRate);
    checkShare(name, "tripErrorRate", tripErrorRate);
    check(name, tripMaxQueries.orElse(0) >= 0, "tripMaxQueries", tripMaxQueries, "0 or more");
    check(
        name,
        tripWindow >= 1 && tripWindow <= MAX_TRIP_WINDOW,
        "tripWindow",
        tripWindow,
        "from 1 to " + MAX_TRIP_WINDOW);
    check(
        name,
        tripMinCalls >= 1 && tripMinCalls <= tripWindow,
        "tripMinCalls",
        tripMinCalls,
        "from 1 to tripWindow");
    check(name, !tripCoolDown.isNegative(), "tripCoolDown", tripCoolDown, "0 or more");
    check(name, tripProbes >= 1, "tripProbes", tripProbes, "1 or more");
    checkPositive(name, "healthLatency", healthLatency);
    checkShare(name, "healthErrorRate", healthErrorRate);
    if (healthQueryReduction.isPresent()) {
      checkShare(name, "healthQueryReduction", healthQueryReduction.getAsDouble());
    }
  }

  private static void checkShare(String name, String component, double share) {
    check(name, share >= 0 && share <= 1, component, share, "from 0 to 1");
  }

  private static void checkPositive(String name, String component, Duration duration) {
    Objects.requireNonNull(duration, component);
    check(name, !duration.isNegative() && !duration.isZero(), component, duration, "above 0");
  }

  private static void check(
      String name, boolean valid, String component, Object value, String expected) {
    if (!valid) {
      throw new IllegalArgumentException(
          "switch " + name + ": " + component + " is " + value + "; expected " + expected);
    }
  }
}
