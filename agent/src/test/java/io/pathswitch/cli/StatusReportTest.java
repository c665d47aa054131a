package io.pathswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  @Test
  void showsOneRowPerSwitchThenEachReasonAndRolloutStep() {
    StatusReport report =
        new StatusReport(
            4242,
            "0.1.0",
            "/etc/pathswitch.properties",
            List.of(dashboard(1201.0, 5.0), representative()));

    String text = report.text();

    assertThat(text)
        .isEqualTo(
            "pid 4242: pathswitch 0.1.0, config /etc/pathswitch.properties\n"
                + "SWITCH          STATE  ENABLED  PERCENT  MODE    LEGACY  UNIFIED  FALLBACK"
                + "  SHADOW  ERRORS  MISMATCHES  QUERIES/CALL  REDUCTION\n"
                + "dashboard       ON     yes      12.5 %   divert  7       3        1       "
                + "  0       2       0           1201 -> 5     99.5 %\n"
                + "representative  OFF    no       50 %     shadow  0       0        0       "
                + "  0       0       0           -             -\n"
                + "\n"
                + "dashboard: ON, diverting 12.5 % of calls; rollout: step 2 of 5: 25 % for 30s;"
                + " calls with N+1 statements: legacy 7, unified 0\n"
                + "representative: OFF, not enabled; rollout: none\n");
  }

  @Test
  void saysTheRolloutOnceForAPausedSwitch() {
    Map<String, Object> values = new HashMap<>();
    values.put("State", "PAUSED");
    values.put("StateReason", "rollout paused at step 2 of 5: rolled back");
    values.put("RolloutStep", "paused at step 2 of 5: rolled back");

    String line = StatusReport.stateLine(SwitchStatus.of("dashboard", values));

    assertThat(line).isEqualTo("PAUSED, rollout paused at step 2 of 5: rolled back");
  }

  @Test
  void takesTheAgentsOwnReductionWhenItTellsIt() {
    Map<String, Object> values = new HashMap<>();
    values.put("LegacyQueriesPerCall", 1201.0);
    values.put("UnifiedQueriesPerCall", 1.0);
    values.put("LegacyCalls", 1L);
    values.put("UnifiedCalls", 1L);
    values.put("QueryReduction", 0.5);

    SwitchStatus status = SwitchStatus.of("dashboard", values);

    assertThat(status.queryReduction()).hasValue(50.0);
  }

  @Test
  void givesTheReductionOnlyWhenBothPathsRanWithStatementsCounted() {
    assertThat(dashboard(400.0, 4.0).queryReduction()).hasValue(99.0);
    assertThat(dashboard(Double.NaN, 4.0).queryReduction()).isEmpty();
    assertThat(dashboard(0.0, 0.0).queryReduction()).isEmpty();
    assertThat(representative().queryReduction()).isEmpty();
  }

  @Test
  void writesJsonWithTheFiguresScriptsRead() {
    StatusReport report = new StatusReport(7, "0.1.0", "/c", List.of(dashboard(400.0, 4.0)));

    String json = Json.write(report.json());

    assertThat(json)
        .startsWith("{\"pid\":7,\"version\":\"0.1.0\",\"configFile\":\"/c\",\"switches\":[{")
        .contains("\"name\":\"dashboard\",\"state\":\"ON\"")
        .contains("\"percentage\":12.5")
        .contains("\"legacyCalls\":7,\"unifiedCalls\":3,\"fallbackCalls\":1")
        .contains("\"unifiedErrors\":2")
        .contains("\"legacyQueriesPerCall\":400,\"unifiedQueriesPerCall\":4")
        .contains("\"queryReductionPercent\":99,\"legacyNPlusOneCalls\":7");
  }

  @Test
  void readsAnAttributeTheAgentLacksAsUnknown() {
    SwitchStatus status = SwitchStatus.of("old", Map.of("State", "ON"));

    assertThat(status.reason()).isEqualTo("?");
    assertThat(status.unifiedCalls()).isEqualTo(-1);
    assertThat(status.legacyQueriesPerCall()).isNaN();
  }

  @Test
  void roundsTheReductionDownSoThatItNeverReadsAllGone() {
    assertThat(StatusReport.reduction(dashboard(4001.0, 1.0))).isEqualTo("99.9 %");
    assertThat(StatusReport.reduction(dashboard(1201.0, 5.0))).isEqualTo("99.5 %");
    assertThat(StatusReport.reduction(dashboard(10.0, 10.0))).isEqualTo("0 %");
    assertThat(StatusReport.reduction(representative())).isEqualTo("-");
  }

  @Test
  void formatsFiguresWithAtMostOneDecimal() {
    assertThat(StatusReport.figure(5.0)).isEqualTo("5");
    assertThat(StatusReport.figure(4.54)).isEqualTo("4.5");
    assertThat(StatusReport.figure(99.96)).isEqualTo("100");
    assertThat(StatusReport.figure(Double.NaN)).isEqualTo("-");
  }

  private static SwitchStatus dashboard(double legacyQueries, double unifiedQueries) {
    Map<String, Object> values = new HashMap<>();
    values.put("State", "ON");
    values.put("StateReason", "diverting 12.5 % of calls");
    values.put("Enabled", true);
    values.put("Percentage", 12.5);
    values.put("Mode", "divert");
    values.put("RolloutStep", "step 2 of 5: 25 % for 30s");
    values.put("LegacyCalls", 7L);
    values.put("UnifiedCalls", 3L);
    values.put("FallbackCalls", 1L);
    values.put("ShadowCalls", 0L);
    values.put("UnifiedErrors", 2L);
    values.put("ShadowMismatches", 0L);
    values.put("LegacyQueriesPerCall", legacyQueries);
    values.put("UnifiedQueriesPerCall", unifiedQueries);
    values.put("LegacyNPlusOneCalls", 7L);
    values.put("UnifiedNPlusOneCalls", 0L);
    return SwitchStatus.of("dashboard", values);
  }

  private static SwitchStatus representative() {
    Map<String, Object> values = new HashMap<>();
    values.put("State", "OFF");
    values.put("StateReason", "not enabled");
    values.put("Enabled", false);
    values.put("Percentage", 50.0);
    values.put("Mode", "shadow");
    values.put("RolloutStep", "none");
    for (String count :
        List.of(
            "LegacyCalls",
            "UnifiedCalls",
            "FallbackCalls",
            "ShadowCalls",
            "UnifiedErrors",
            "ShadowMismatches")) {
      values.put(count, 0L);
    }
    values.put("LegacyQueriesPerCall", Double.NaN);
    values.put("UnifiedQueriesPerCall", Double.NaN);
    return SwitchStatus.of("representative", values);
  }
}
