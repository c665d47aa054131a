package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout of steps of seconds, in a real JVM, with the sample's traffic and faults. */
class RolloutIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";

  @TempDir Path folder;

  @Test
  void followsTheStepsPausesOnATripAndResumesOverJmx() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.rollout = 20% for 3s, 60% for 3s, 80% for 1h, 100%",
            "switch.dashboard.health.latency = 5s",
            "switch.dashboard.health.error-rate = 50%",
            "switch.dashboard.trip.window = 10",
            "switch.dashboard.trip.min-calls = 5",
            "switch.dashboard.trip.error-rate = 20%",
            "switch.dashboard.trip.cool-down = 1h");

    try (Sample sample = Sample.start(Sample.agent(config), 5);
        Jmx jmx = LaunchIT.awaitJmx(sample);
        Traffic traffic = new Traffic(sample)) {
      double firstShare = shareDuringStep(jmx, "step 1 of 4");
      double secondShare = shareDuringStep(jmx, "step 2 of 4");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> jmx.get("dashboard", "Percentage").equals(80.0));
      sample.get("/admin/faults?error-rate=1");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "PAUSED".equals(jmx.get("dashboard", "State")));
      Object pausedPercentage = jmx.get("dashboard", "Percentage");
      String pausedStep = (String) jmx.get("dashboard", "RolloutStep");
      sample.get("/admin/faults?error-rate=0");
      jmx.invoke("dashboard", "resume");

      assertThat(firstShare).isBetween(0.05, 0.40);
      assertThat(secondShare).isBetween(0.40, 0.80);
      assertThat(pausedPercentage).isEqualTo(0.0);
      assertThat(pausedStep).startsWith("paused at step 3 of 4");
      assertThat(jmx.get("dashboard", "State")).isEqualTo("ON");
      assertThat(jmx.get("dashboard", "Percentage")).isEqualTo(80.0);
      assertThat(traffic.failures()).isZero();
    }
  }

  @Test
  void resumesAtTheKeptStepAfterARestart() throws Exception {
    Path state = folder.resolve("state.properties");
    Path config =
        Sample.config(
            folder,
            "state.file = " + state,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.rollout = 10% for 1h, 40% for 1h, 100%");

    try (Sample sample = Sample.start(Sample.agent(config), 5);
        Jmx jmx = LaunchIT.awaitJmx(sample)) {
      jmx.invoke("dashboard", "advance");
      await().until(() -> Files.exists(state) && Files.readString(state).contains("step=1"));
    }
    try (Sample restarted = Sample.start(Sample.agent(config), 5);
        Jmx jmx = LaunchIT.awaitJmx(restarted)) {

      assertThat(jmx.get("dashboard", "Percentage")).isEqualTo(40.0);
      assertThat((String) jmx.get("dashboard", "RolloutStep")).startsWith("step 2 of 3: 40%");
      assertThat(restarted.jvm.errText()).contains("switch dashboard: restored from " + state);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
          .isEqualTo("rw-------");
    }
  }

  /** The unified share of the calls made while the rollout is at {@code step}. */
  private static double shareDuringStep(Jmx jmx, String step) throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ((String) jmx.get("dashboard", "RolloutStep")).startsWith(step));
    long unified = jmx.count("dashboard", "UnifiedCalls");
    long legacy = jmx.count("dashboard", "LegacyCalls");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !((String) jmx.get("dashboard", "RolloutStep")).startsWith(step));
    long unifiedDuring = jmx.count("dashboard", "UnifiedCalls") - unified;
    long legacyDuring = jmx.count("dashboard", "LegacyCalls") - legacy;
    return (double) unifiedDuring / (unifiedDuring + legacyDuring);
  }

  /** Dashboards requested one after another on a thread of its own, until closed. */
  private static final class Traffic implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicLong failures =
        new java.util.concurrent.atomic.AtomicLong();
    private final Thread thread;

    Traffic(Sample sample) {
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    if (sample.get("/api/dashboard").statusCode() != 200) {
                      failures.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
              },
              "traffic");
      thread.start();
    }

    long failures() {
      return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
