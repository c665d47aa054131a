package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent shows about the sample's two paths under {@code -javaagent}: the JDBC statements
 * each call runs, the N+1 pattern of the legacy path, and the shadow mode's comparisons.
 */
class ProofOfEffectIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";
  private static final int N = 300;
  private static final String PG_URL = System.getenv("PATHSWITCH_PG_URL");

  @TempDir Path folder;

  @Test
  void countsFourNPlusOneStatementsOnTheLegacyPathAndAtMostFiveOnTheUnifiedOneOnH2()
      throws Exception {
    try (Sample sample = Sample.start(Sample.agent(dashboardAtZero()), N, "--log-sql")) {
      showsTheEffect(sample);
    }
  }

  @Test
  void countsEachStatementOnceThroughHikariOnPostgresql() throws Exception {
    if (PG_URL == null) {
      System.err.println(
          "ProofOfEffectIT: PATHSWITCH_PG_URL is unset, so the PostgreSQL run is skipped; .ci/run"
              + " sets it");
    }
    Assumptions.assumeTrue(
        PG_URL != null, "PATHSWITCH_PG_URL is unset: no PostgreSQL to count statements on");

    try (Sample sample =
        Sample.start(Sample.agent(dashboardAtZero()), N, "--log-sql", "--jdbc-url", PG_URL)) {
      showsTheEffect(sample);
    }
  }

  @Test
  void tripsTheSwitchWhenTheUnifiedPathRunsMoreStatementsThanTripMaxQueries() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.trip.max-queries = 0",
            "switch.dashboard.trip.window = 3",
            "switch.dashboard.trip.min-calls = 3");

    try (Sample sample = Sample.start(Sample.agent(config), 20);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(sample.dashboard().status);
      }

      assertThat(statuses).containsOnly(200);
      assertThat(jmx.get("dashboard", "State")).isEqualTo("TRIPPED");
      assertThat((String) jmx.get("dashboard", "StateReason"))
          .startsWith("3 of 3 unified calls failed");
      assertThat(jmx.count("dashboard", "UnifiedErrors")).isZero();
      assertThat(jmx.count("dashboard", "UnifiedCalls")).isEqualTo(3);
      assertThat(jmx.count("dashboard", "LegacyCalls")).isEqualTo(1);
      assertThat(sample.jvm.errText())
          .contains(
              "switch dashboard: the unified path ran 1 JDBC statements in one call, more than"
                  + " trip.max-queries = 0; such calls count as failed for the thresholds");
    }
  }

  @Test
  void comparesAThousandCallsInShadowModeAndNamesTheArgumentsOfAMismatch() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.representative.legacy = " + SERVICE + "#representativeSummary",
            "switch.representative.unified = " + ENGINE + "#representativeSummary",
            "switch.representative.enabled = true",
            "switch.representative.mode = shadow",
            "switch.representative.trip.min-calls = 100");

    try (Sample sample = Sample.start(Sample.agent(config), N);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      for (int i = 0; i < 1000; i++) {
        assertThat(sample.get("/api/representatives/" + (i % N + 1)).statusCode()).isEqualTo(200);
      }
      long cleanMismatches = jmx.count("representative", "ShadowMismatches");
      long shadowCalls = jmx.count("representative", "ShadowCalls");
      long legacyCalls = jmx.count("representative", "LegacyCalls");
      double legacyPerCall = (Double) jmx.get("representative", "LegacyQueriesPerCall");

      sample.get("/admin/faults?wrong-rate=0.2");
      List<String> bodies = new ArrayList<>();
      for (int id = 1; id <= 100; id++) {
        bodies.add(sample.get("/api/representatives/" + id).body());
      }

      assertThat(cleanMismatches).isZero();
      assertThat(shadowCalls).isEqualTo(1000);
      assertThat(legacyCalls).isEqualTo(1000);
      assertThat(legacyPerCall).isEqualTo(4.0);
      assertThat(jmx.count("representative", "ShadowMismatches")).isBetween(5L, 50L);
      assertThat(bodies).noneMatch(body -> body.contains("\"error\""));
      assertMismatchLineNamesItsArguments(sample);
    }
  }

  @Test
  void seesTheDashboardsNPlusOneThroughTheSwitchedCallsNestedInIt() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.percentage = 0",
            "switch.representative.legacy = " + SERVICE + "#representativeSummary",
            "switch.representative.unified = " + ENGINE + "#representativeSummary",
            "switch.representative.enabled = true",
            "switch.representative.percentage = 0");

    try (Sample sample = Sample.start(Sample.agent(config), N);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      sample.dashboard();

      assertThat(jmx.get("dashboard", "LegacyQueriesPerCall")).isEqualTo(4.0 * N + 1);
      assertThat(jmx.count("dashboard", "LegacyNPlusOneCalls")).isEqualTo(1);
      assertThat(jmx.count("representative", "LegacyCalls")).isEqualTo(N);
      assertThat(jmx.get("representative", "LegacyQueriesPerCall")).isEqualTo(4.0);
      assertThat(jmx.count("representative", "LegacyNPlusOneCalls")).isZero();
      assertThat(sample.jvm.errText())
          .contains("switch dashboard, legacy path: \"")
          .doesNotContain("switch representative, legacy path: \"");
    }
  }

  /** Legacy at 0 %, then 100 %: the figures per path, the reduction and the N+1 warning. */
  private static void showsTheEffect(Sample sample) throws Exception {
    try (Jmx jmx = LaunchIT.awaitJmx(sample)) {
      Sample.Served legacy = sample.dashboard();
      long legacyLogged = legacy.awaitStatements(4 * N + 1);
      double legacyPerCall = (Double) jmx.get("dashboard", "LegacyQueriesPerCall");

      jmx.set("dashboard", "Percentage", 100.0);
      Sample.Served unified = sample.dashboard();
      long unifiedLogged = unified.awaitStatements(1);
      double unifiedPerCall = (Double) jmx.get("dashboard", "UnifiedQueriesPerCall");

      assertThat(unified.body).isEqualTo(legacy.body);
      assertThat(legacyPerCall).isEqualTo(4.0 * N + 1).isEqualTo((double) legacyLogged);
      assertThat(unifiedPerCall).isBetween(1.0, 5.0).isEqualTo((double) unifiedLogged);
      assertThat((Double) jmx.get("dashboard", "QueryReduction"))
          .isEqualTo(1 - unifiedPerCall / legacyPerCall);
      assertThat(jmx.count("dashboard", "LegacyNPlusOneCalls")).isEqualTo(1);
      assertThat(jmx.count("dashboard", "UnifiedNPlusOneCalls")).isZero();
      assertThat(micrometerQueries(jmx, "legacy")).isEqualTo(4.0 * N + 1);
      assertThat(micrometerQueries(jmx, "unified")).isEqualTo(unifiedPerCall);
      assertThat(sample.jvm.errText())
          .contains(
              "switch dashboard, legacy path: \"SELECT id, name, code FROM representatives WHERE"
                  + " id = ?\" ran "
                  + N
                  + " times in one call (N+1 pattern)")
          .doesNotContain("unified path: \"");
    }
  }

  /** The cumulative {@code pathswitch.queries} of one path, from the agent's Micrometer bean. */
  private static double micrometerQueries(Jmx jmx, String path) throws Exception {
    return await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              Set<ObjectName> names =
                  jmx.server().queryNames(new ObjectName("pathswitch.metrics:*"), null);
              for (ObjectName name : names) {
                String text = name.toString();
                if (text.contains("pathswitchQueries")
                    && text.contains("path." + path + ".")
                    && text.contains("switch.dashboard")) {
                  return ((Number) jmx.server().getAttribute(name, "Count")).doubleValue();
                }
              }
              return null;
            },
            value -> value != null);
  }

  private static void assertMismatchLineNamesItsArguments(Sample sample) {
    Pattern line =
        Pattern.compile(
            "switch representative: shadow mismatch #1: arguments \\[(\\d+)\\], legacy"
                + " RepresentativeSummary\\[id=(\\d+), .*?totalSales=([0-9.]+),.*unified"
                + " RepresentativeSummary\\[id=(\\d+), .*?totalSales=([0-9.]+),");
    String found =
        sample.jvm.err().stream().filter(l -> line.matcher(l).find()).findFirst().orElse(null);
    assertThat(found).as(Jvm.tail(sample.jvm.err())).isNotNull();
    Matcher match = line.matcher(found);
    assertThat(match.find()).isTrue();
    assertThat(match.group(2)).isEqualTo(match.group(1));
    assertThat(match.group(4)).isEqualTo(match.group(1));
    assertThat(new BigDecimal(match.group(5)))
        .isEqualByComparingTo(new BigDecimal(match.group(3)).add(BigDecimal.ONE));
  }

  private Path dashboardAtZero() throws Exception {
    return Sample.config(
        folder,
        "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
        "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
        "switch.dashboard.enabled = true",
        "switch.dashboard.percentage = 0");
  }
}
