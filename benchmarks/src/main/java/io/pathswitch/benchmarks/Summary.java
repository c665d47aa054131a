package io.pathswitch.benchmarks;

import io.pathswitch.benchmarks.process.ProcessCost;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The results as Markdown: every benchmark with its allocation per operation, then each goal of the
 * project with the figure held against it and whether it is met. It prints numbers; it asserts
 * nothing.
 */
final class Summary {

  private static final String DASHBOARD_GOAL =
      "unified dashboard ≥ 20× faster than legacy at 10,000 representatives on PostgreSQL";

  private static final String CALL_COST = "CallCostBenchmark.";
  private static final String PEERS = "PeerBenchmark.";
  private static final String DECISION = "DecisionBenchmark.";
  private static final String CALL_RECORD = "CallRecordBenchmark.";
  private static final String DASHBOARD = "DashboardBenchmark.";

  private final List<RunResult> results;
  private final Machine machine;
  private final String mode;
  private final Optional<ProcessCost.Figures> process;

  Summary(
      Collection<RunResult> results,
      Machine machine,
      String mode,
      Optional<ProcessCost.Figures> process) {
    this.results = List.copyOf(results);
    this.machine = machine;
    this.mode = mode;
    this.process = process;
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("### Benchmarks (").append(mode).append(" run, ").append(machine.date());
    out.append(")\n\n");
    out.append("Machine: ").append(machine.oneLine()).append(".\n");
    out.append("Load average (1, 5, 15 min) at the start: ").append(machine.loadAtStart());
    out.append("; at the end: ").append(Machine.loadAverage());
    out.append(". Above the number of cores, other work competed with the benchmarks.\n\n");
    out.append("| benchmark | parameters | score | error (99.9 %) | unit | allocated B/op |\n");
    out.append("| --- | --- | ---: | ---: | --- | ---: |\n");
    for (RunResult result : results) {
      out.append(row(result));
    }
    process.ifPresent(figures -> out.append('\n').append(figures.markdown()));
    out.append("\n### Against the goals\n\n");
    out.append("| goal | figure | verdict |\n| --- | --- | --- |\n");
    for (Goal goal : goals()) {
      out.append(goal.row());
    }
    return out.toString();
  }

  private static String row(RunResult result) {
    Result<?> primary = result.getPrimaryResult();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s |%n",
        shortName(result),
        parameters(result),
        number(primary.getScore()),
        Double.isNaN(primary.getScoreError()) ? "" : number(primary.getScoreError()),
        primary.getScoreUnit(),
        allocation(result).isPresent() ? number(allocation(result).getAsDouble()) : "");
  }

  private List<Goal> goals() {
    List<Goal> goals = new ArrayList<>();
    OptionalDouble plain = score(CALL_COST + "uninstrumented");
    OptionalDouble off = score(CALL_COST + "switchOff");
    OptionalDouble zero = score(CALL_COST + "switchOnZeroPercent");
    OptionalDouble full = score(CALL_COST + "switchOnFullPercent");

    if (plain.isPresent() && off.isPresent()) {
      double added = off.getAsDouble() - plain.getAsDouble();
      goals.add(
          Goal.of(
              "switch off within 1 ns of uninstrumented",
              "off adds " + ns(added) + " (" + ns(off) + " against " + ns(plain) + ")",
              added <= 1,
              ns(added - 1)));
    }
    OptionalDouble decideZero = score(DECISION + "decideOnZeroPercent");
    OptionalDouble decideFull = score(DECISION + "decideOnFullPercent");
    OptionalDouble decideKeyed = score(DECISION + "decideKeyedAtThirtyPercent");
    OptionalDouble decision = OptionalDouble.empty();
    if (decideZero.isPresent() && decideFull.isPresent()) {
      double worst =
          Math.max(
              Math.max(decideZero.getAsDouble(), decideFull.getAsDouble()), decideKeyed.orElse(0));
      decision = OptionalDouble.of(worst);
      String keyed = decideKeyed.isPresent() ? ", keyed at 30 % " + ns(decideKeyed) : "";
      String whole =
          plain.isPresent() && zero.isPresent()
              ? "; the whole call on at 0 % adds "
                  + ns(zero.getAsDouble() - plain.getAsDouble())
                  + " (decision plus timing and counting the legacy call)"
              : "";
      goals.add(
          Goal.of(
              "switch on: the decision under 15 ns",
              "decide at 0 % " + ns(decideZero) + ", at 100 % " + ns(decideFull) + keyed + whole,
              worst < 15,
              ns(worst - 15)));
    }
    goals.add(allocationGoal());
    peerGoal(plain, off, zero, full, decision).ifPresent(goals::add);
    process.ifPresent(figures -> goals.addAll(figures.goals()));
    dashboardGoal().ifPresent(goals::add);
    return goals;
  }

  private Goal allocationGoal() {
    List<String> allocating = new ArrayList<>();
    List<String> figures = new ArrayList<>();
    for (String name :
        List.of(
            CALL_COST + "uninstrumented",
            CALL_COST + "switchOff",
            CALL_COST + "switchOnZeroPercent",
            CALL_COST + "switchOnFullPercent",
            DECISION + "decideOnZeroPercent",
            DECISION + "decideOnFullPercent",
            DECISION + "decideKeyedAtThirtyPercent",
            "BreakerBenchmark.tryAcquireUnified",
            "BreakerBenchmark.record")) {
      Optional<RunResult> result = find(name, Map.of());
      if (result.isEmpty() || allocation(result.get()).isEmpty()) {
        continue;
      }
      double bytes = allocation(result.get()).getAsDouble();
      String shortName = name.substring(name.indexOf('.') + 1);
      figures.add(shortName + " " + number(bytes));
      if (bytes >= 0.5) {
        allocating.add(shortName);
      }
    }
    if (figures.isEmpty()) {
      return new Goal("0 B/op in every case", "not measured", "not measured");
    }
    return Goal.of(
        "0 B/op in every case",
        String.join(", ", figures) + " B/op",
        allocating.isEmpty(),
        String.join(", ", allocating) + " allocate");
  }

  /**
   * The peers choose the unified path, so the verdict compares them with the switch on at 100 %;
   * the figure also gives the ratios for the switch off and on at 0 %. Costs are what each adds to
   * the uninstrumented call.
   */
  private Optional<Goal> peerGoal(
      OptionalDouble plain,
      OptionalDouble off,
      OptionalDouble zero,
      OptionalDouble full,
      OptionalDouble decision) {
    Optional<RunResult> cheapest =
        results.stream()
            .filter(r -> r.getParams().getBenchmark().contains(PEERS))
            .min(Comparator.comparingDouble(r -> r.getPrimaryResult().getScore()));
    if (cheapest.isEmpty()
        || plain.isEmpty()
        || off.isEmpty()
        || zero.isEmpty()
        || full.isEmpty()) {
      return Optional.empty();
    }
    double peerAdded = cheapest.get().getPrimaryResult().getScore() - plain.getAsDouble();
    double onRatio = ratio(peerAdded, full.getAsDouble() - plain.getAsDouble());
    String figure =
        String.format(
            Locale.ROOT,
            "cheapest peer %s adds %s; the switch off adds %s (peer/agent %s), on at 0 %% %s (%s),"
                + " on at 100 %% %s (%s)",
            shortName(cheapest.get()),
            ns(peerAdded),
            ns(off.getAsDouble() - plain.getAsDouble()),
            times(ratio(peerAdded, off.getAsDouble() - plain.getAsDouble())),
            ns(zero.getAsDouble() - plain.getAsDouble()),
            times(ratio(peerAdded, zero.getAsDouble() - plain.getAsDouble())),
            ns(full.getAsDouble() - plain.getAsDouble()),
            times(onRatio));
    if (decision.isPresent()) {
      figure +=
          String.format(
              Locale.ROOT,
              "; the decision alone, at worst %s (peer/decision %s)",
              ns(decision),
              times(ratio(peerAdded, decision.getAsDouble())));
    }
    String missed =
        onRatio >= 1
            ? "on at 100 % is " + times(onRatio) + " cheaper, not 10×"
            : "on at 100 % costs " + times(1 / onRatio) + " what the peer adds";
    OptionalDouble clock = score(CALL_RECORD + "nanoTime");
    OptionalDouble count = score(CALL_RECORD + "countOnce");
    if (clock.isPresent()) {
      // An enabled switch must time every call: two clock reads, whatever the agent does around
      // them, and an exact count on top. The JVM's own primitives set that floor.
      double timed = 2 * clock.getAsDouble();
      figure +=
          String.format(
              Locale.ROOT,
              "; the least a timed call can add here is two System.nanoTime, 2 × %s = %s (%s what"
                  + " the peer adds)%s",
              ns(clock),
              ns(timed),
              times(timed / Math.max(peerAdded, 0.01)),
              count.isPresent()
                  ? ", and counting it exactly one LongAdder increment more, " + ns(count)
                  : "");
      if (clock.getAsDouble() * 10 > peerAdded) {
        missed +=
            "; 10× cheaper would need at most "
                + ns(peerAdded / 10)
                + ", less than one clock read: out of reach on this JVM for a call that is timed";
      }
    }
    return Optional.of(
        Goal.of("at least 10× cheaper than the cheapest peer", figure, onRatio >= 10, missed));
  }

  private static double ratio(double peerAdded, double agentAdded) {
    return peerAdded / Math.max(agentAdded, 0.01);
  }

  private static String times(double ratio) {
    return String.format(Locale.ROOT, ratio < 1 ? "%.2f×" : "%.1f×", ratio);
  }

  private Optional<Goal> dashboardGoal() {
    Map<String, String> pg = Map.of("database", "postgresql", "representatives", "10000");
    OptionalDouble legacy = score(DASHBOARD + "legacy", pg);
    OptionalDouble unified = score(DASHBOARD + "unified", pg);
    if (legacy.isEmpty() || unified.isEmpty()) {
      Map<String, String> h2 = Map.of("database", "h2", "representatives", "10000");
      OptionalDouble legacyH2 = score(DASHBOARD + "legacy", h2);
      OptionalDouble unifiedH2 = score(DASHBOARD + "unified", h2);
      String onH2 =
          legacyH2.isPresent() && unifiedH2.isPresent()
              ? String.format(
                  Locale.ROOT,
                  "not measured on PostgreSQL; on H2 %.1f×",
                  legacyH2.getAsDouble() / unifiedH2.getAsDouble())
              : "not measured";
      return Optional.of(new Goal(DASHBOARD_GOAL, onH2, "not measured"));
    }
    double speedUp = legacy.getAsDouble() / unified.getAsDouble();
    return Optional.of(
        Goal.of(
            DASHBOARD_GOAL,
            String.format(
                Locale.ROOT,
                "legacy %.1f ms, unified %.1f ms: %.1f×",
                legacy.getAsDouble(),
                unified.getAsDouble(),
                speedUp),
            speedUp >= 20,
            String.format(Locale.ROOT, "%.1f× short", 20 - speedUp)));
  }

  private OptionalDouble score(String name) {
    return score(name, Map.of());
  }

  private OptionalDouble score(String name, Map<String, String> params) {
    return find(name, params)
        .map(r -> OptionalDouble.of(r.getPrimaryResult().getScore()))
        .orElse(OptionalDouble.empty());
  }

  private Optional<RunResult> find(String name, Map<String, String> params) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith(name))
        .filter(
            r ->
                params.entrySet().stream()
                    .allMatch(p -> p.getValue().equals(r.getParams().getParam(p.getKey()))))
        .findFirst();
  }

  private static OptionalDouble allocation(RunResult result) {
    return result.getSecondaryResults().entrySet().stream()
        .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
        .mapToDouble(e -> e.getValue().getScore())
        .findFirst();
  }

  private static String shortName(RunResult result) {
    String name = result.getParams().getBenchmark();
    int method = name.lastIndexOf('.');
    int type = name.lastIndexOf('.', method - 1);
    return name.substring(type + 1);
  }

  private static String parameters(RunResult result) {
    return result.getParams().getParamsKeys().stream()
        .map(key -> key + "=" + result.getParams().getParam(key))
        .collect(Collectors.joining(", "));
  }

  private static String ns(OptionalDouble value) {
    return ns(value.getAsDouble());
  }

  private static String ns(double value) {
    return number(value) + " ns";
  }

  static String number(double value) {
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
