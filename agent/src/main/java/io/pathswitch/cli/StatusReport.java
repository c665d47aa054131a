package io.pathswitch.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code status} (and {@code attach}, once done) prints: the agent in one JVM and each of its
 * switches. Immutable.
 */
record StatusReport(long pid, String version, String configFile, List<SwitchStatus> switches) {

  StatusReport {
    switches = List.copyOf(switches);
  }

  /** A table with one row per switch, then each switch's state reason and rollout step. */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append("pid ")
        .append(pid)
        .append(": pathswitch ")
        .append(version)
        .append(", config ")
        .append(configFile)
        .append('\n');
    if (switches.isEmpty()) {
      return out.append("no switches\n").toString();
    }
    Table table =
        new Table(
            "SWITCH",
            "STATE",
            "ENABLED",
            "PERCENT",
            "MODE",
            "LEGACY",
            "UNIFIED",
            "FALLBACK",
            "SHADOW",
            "ERRORS",
            "MISMATCHES",
            "QUERIES/CALL",
            "REDUCTION");
    for (SwitchStatus sw : switches) {
      table.row(
          sw.name(),
          sw.state(),
          sw.enabled() ? "yes" : "no",
          percent(sw.percentage()),
          sw.mode(),
          sw.legacyCalls(),
          sw.unifiedCalls(),
          sw.fallbackCalls(),
          sw.shadowCalls(),
          sw.unifiedErrors(),
          sw.shadowMismatches(),
          queries(sw),
          reduction(sw));
    }
    out.append(table).append('\n');
    for (SwitchStatus sw : switches) {
      out.append(sw.name()).append(": ").append(stateLine(sw)).append('\n');
    }
    return out.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("pid", pid);
    json.put("version", version);
    json.put("configFile", configFile);
    json.put("switches", switches.stream().map(SwitchStatus::json).collect(Collectors.toList()));
    return json;
  }

  /**
   * {@code ON, diverting 25 % of calls; rollout: step 2 of 5: 25% for 30s, 12s left}; the rollout
   * is left out when the reason already is the rollout (a paused switch); calls in which one
   * statement repeated (N+1) are named when there were any.
   */
  static String stateLine(SwitchStatus sw) {
    String line = sw.state() + ", " + sw.reason();
    if (!sw.reason().startsWith("rollout ")) {
      line += "; rollout: " + sw.rolloutStep();
    }
    if (sw.legacyNPlusOneCalls() > 0 || sw.unifiedNPlusOneCalls() > 0) {
      line +=
          "; calls with N+1 statements: legacy "
              + sw.legacyNPlusOneCalls()
              + ", unified "
              + sw.unifiedNPlusOneCalls();
    }
    return line;
  }

  /** {@code 1201 -> 5}, legacy then unified, or {@code -} for a path not counted. */
  static String queries(SwitchStatus sw) {
    if (!Double.isFinite(sw.legacyQueriesPerCall())
        && !Double.isFinite(sw.unifiedQueriesPerCall())) {
      return "-";
    }
    return figure(sw.legacyQueriesPerCall()) + " -> " + figure(sw.unifiedQueriesPerCall());
  }

  /**
   * {@code 99.9 %}: rounded down, so that 4,001 statements brought down to one never reads as a
   * reduction of 100 %; {@code -} when there is none to tell.
   */
  static String reduction(SwitchStatus sw) {
    if (sw.queryReduction().isEmpty()) {
      return "-";
    }
    return figure(Math.floor(sw.queryReduction().getAsDouble() * 10) / 10) + " %";
  }

  static String percent(double value) {
    return Double.isFinite(value) ? figure(value) + " %" : "?";
  }

  /** {@code 5}, {@code 4.5}, {@code 99.6}: at most one decimal, none when whole; NaN is "-". */
  static String figure(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    double rounded = Math.round(value * 10) / 10.0;
    return rounded == Math.rint(rounded)
        ? Long.toString((long) rounded)
        : String.format(java.util.Locale.ROOT, "%.1f", rounded);
  }
}
