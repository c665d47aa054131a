package io.pathswitch.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One switch as its JMX bean shows it, read in one call. Immutable.
 *
 * @param legacyQueriesPerCall JDBC statements per legacy call; NaN when statements are not counted
 * @param unifiedQueriesPerCall the same for the unified path
 * @param agentQueryReduction the agent's own {@code QueryReduction}, a fraction; NaN until both
 *     paths ran with statements counted, or from an agent that does not tell it
 * @param legacyNPlusOneCalls legacy calls in which one statement shape repeated (N+1); -1 unknown
 * @param unifiedNPlusOneCalls the same for the unified path
 */
record SwitchStatus(
    String name,
    String state,
    String reason,
    boolean enabled,
    double percentage,
    String mode,
    String rolloutStep,
    long legacyCalls,
    long unifiedCalls,
    long fallbackCalls,
    long shadowCalls,
    long unifiedErrors,
    long shadowMismatches,
    double legacyQueriesPerCall,
    double unifiedQueriesPerCall,
    double agentQueryReduction,
    long legacyNPlusOneCalls,
    long unifiedNPlusOneCalls) {

  /** The attributes read; one the agent lacks (an older version) is shown as unknown. */
  static final String[] ATTRIBUTES = {
    "State",
    "StateReason",
    "Enabled",
    "Percentage",
    "Mode",
    "RolloutStep",
    "LegacyCalls",
    "UnifiedCalls",
    "FallbackCalls",
    "ShadowCalls",
    "UnifiedErrors",
    "ShadowMismatches",
    "LegacyQueriesPerCall",
    "UnifiedQueriesPerCall",
    "QueryReduction",
    "LegacyNPlusOneCalls",
    "UnifiedNPlusOneCalls"
  };

  static SwitchStatus of(String name, Map<String, Object> values) {
    return new SwitchStatus(
        name,
        text(values, "State"),
        text(values, "StateReason"),
        Boolean.TRUE.equals(values.get("Enabled")),
        figure(values, "Percentage"),
        text(values, "Mode"),
        text(values, "RolloutStep"),
        count(values, "LegacyCalls"),
        count(values, "UnifiedCalls"),
        count(values, "FallbackCalls"),
        count(values, "ShadowCalls"),
        count(values, "UnifiedErrors"),
        count(values, "ShadowMismatches"),
        figure(values, "LegacyQueriesPerCall"),
        figure(values, "UnifiedQueriesPerCall"),
        figure(values, "QueryReduction"),
        count(values, "LegacyNPlusOneCalls"),
        count(values, "UnifiedNPlusOneCalls"));
  }

  /**
   * How many fewer statements per call the unified path runs than the legacy one, in percent, as
   * the agent judges it; from the figures per call only for an agent that does not tell it. Empty
   * unless both paths ran with statements counted and the legacy path ran any.
   */
  OptionalDouble queryReduction() {
    if (Double.isFinite(agentQueryReduction)) {
      return OptionalDouble.of(100 * agentQueryReduction);
    }
    if (!Double.isFinite(legacyQueriesPerCall)
        || !Double.isFinite(unifiedQueriesPerCall)
        || legacyQueriesPerCall <= 0
        || legacyCalls == 0
        || unifiedCalls == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        100 * (legacyQueriesPerCall - unifiedQueriesPerCall) / legacyQueriesPerCall);
  }

  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("state", state);
    json.put("reason", reason);
    json.put("enabled", enabled);
    json.put("percentage", percentage);
    json.put("mode", mode);
    json.put("rolloutStep", rolloutStep);
    json.put("legacyCalls", legacyCalls);
    json.put("unifiedCalls", unifiedCalls);
    json.put("fallbackCalls", fallbackCalls);
    json.put("shadowCalls", shadowCalls);
    json.put("unifiedErrors", unifiedErrors);
    json.put("shadowMismatches", shadowMismatches);
    json.put("legacyQueriesPerCall", legacyQueriesPerCall);
    json.put("unifiedQueriesPerCall", unifiedQueriesPerCall);
    json.put("queryReductionPercent", queryReduction().orElse(Double.NaN));
    json.put("legacyNPlusOneCalls", legacyNPlusOneCalls);
    json.put("unifiedNPlusOneCalls", unifiedNPlusOneCalls);
    return json;
  }

  private static String text(Map<String, Object> values, String attribute) {
    Object value = values.get(attribute);
    return value == null ? "?" : value.toString();
  }

  private static long count(Map<String, Object> values, String attribute) {
    Object value = values.get(attribute);
    return value instanceof Number ? ((Number) value).longValue() : -1;
  }

  private static double figure(Map<String, Object> values, String attribute) {
    Object value = values.get(attribute);
    return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
  }
}
