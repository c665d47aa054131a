package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Automatic fallback in a real JVM: the sample's faults trip the switch; health brings it back. */
class ThresholdsIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";

  @TempDir Path folder;

  @Test
  void tripsWithinOneWindowOfFailuresAndComesBackThroughProbing() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.trip.window = 20",
            "switch.dashboard.trip.min-calls = 10",
            "switch.dashboard.trip.error-rate = 10%",
            "switch.dashboard.trip.cool-down = 2s",
            "switch.dashboard.trip.probes = 3");

    try (Sample sample = Sample.start(Sample.agent(config), 20);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      String healthy = sample.dashboard().body;
      sample.get("/admin/faults?error-rate=0.2");
      List<Sample.Served> served = new ArrayList<>();
      while (!"TRIPPED".equals(jmx.get("dashboard", "State")) && served.size() < 40) {
        served.add(sample.dashboard());
      }
      String tripReason = (String) jmx.get("dashboard", "StateReason");
      long unifiedBeforeRecovery = jmx.count("dashboard", "UnifiedCalls");
      Sample.Served whileTripped = sample.dashboard();
      sample.get("/admin/faults?error-rate=0");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> sample.dashboard().status == 200 && "ON".equals(jmx.get("dashboard", "State")));

      assertThat(served).hasSizeLessThanOrEqualTo(20);
      assertThat(served).allSatisfy(s -> assertThat(s.status).isEqualTo(200));
      assertThat(served).allSatisfy(s -> assertThat(s.body).isEqualTo(healthy));
      assertThat(tripReason).matches("\\d+ of \\d+ unified calls failed .*; legacy path for 2s");
      assertThat(whileTripped.body).isEqualTo(healthy);
      assertThat(jmx.count("dashboard", "UnifiedCalls")).isGreaterThan(unifiedBeforeRecovery);
      assertThat(sample.jvm.errText())
          .contains("WARN switch dashboard TRIPPED: ")
          .contains("switch dashboard TRIPPED -> PROBING")
          .contains("switch dashboard PROBING -> ON");
    }
  }

  @Test
  void tripsOnTheShareOfSlowCalls() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.trip.latency = 100ms",
            "switch.dashboard.trip.slow-rate = 50%",
            "switch.dashboard.trip.window = 10",
            "switch.dashboard.trip.min-calls = 5");

    try (Sample sample = Sample.start(Sample.agent(config), 10);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      sample.get("/admin/faults?delay=250ms");
      int calls = 0;
      while (!"TRIPPED".equals(jmx.get("dashboard", "State")) && calls < 20) {
        assertThat(sample.dashboard().status).isEqualTo(200);
        calls++;
      }

      assertThat(calls).isEqualTo(5);
      assertThat((String) jmx.get("dashboard", "StateReason"))
          .startsWith("5 of 5 unified calls slower than 100ms (100.0 % ≥ 50.0 %)");
      assertThat(jmx.count("dashboard", "FallbackCalls")).isZero();
    }
  }
}
