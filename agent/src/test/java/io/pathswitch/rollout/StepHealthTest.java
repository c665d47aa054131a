package io.pathswitch.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.thresholds.Allocations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StepHealthTest {

  private static final long MS_84 = Duration.ofMillis(84).toNanos();

  private final StepHealth health = new StepHealth();

  @Test
  void countsUnifiedFailuresAsAShareOfUnifiedCalls() {
    for (int i = 0; i < 400; i++) {
      health.recordUnified(MS_84, i % 100 == 0, -1);
    }

    assertThat(health.unifiedCalls()).isEqualTo(400);
    assertThat(health.unifiedFailures()).isEqualTo(4);
    assertThat(health.errorRate()).isEqualTo(0.01);
  }

  @Test
  void reducesQueriesPerCallAgainstTheLegacyPath() {
    health.recordUnified(MS_84, false, 3);
    health.recordUnified(MS_84, false, 5);
    health.recordUnified(MS_84, false, -1);
    health.recordLegacy(MS_84, 4_000);
    health.recordLegacy(MS_84, -1);

    assertThat(health.unifiedQueriesPerCall()).hasValue(4.0);
    assertThat(health.legacyQueriesPerCall()).hasValue(4_000.0);
    assertThat(health.queryReduction()).hasValue(0.999);
  }

  @Test
  void hasNoReductionUntilBothPathsCountedStatements() {
    health.recordUnified(MS_84, false, 3);
    health.recordLegacy(MS_84, -1);

    assertThat(health.queryReduction()).isEmpty();
  }

  @Test
  void hasNoReductionAgainstALegacyPathThatRanNoStatements() {
    health.recordUnified(MS_84, false, 3);
    health.recordLegacy(MS_84, 0);

    assertThat(health.queryReduction()).isEmpty();
  }

  @Test
  void keepsTheLatencyOfEachPathApart() {
    health.recordUnified(MS_84, false, -1);
    health.recordLegacy(Duration.ofMillis(1_400).toNanos(), -1);

    assertThat(health.unifiedP95Nanos().getAsLong()).isBetween(MS_84, MS_84 + MS_84 / 16);
    assertThat(health.legacyP95Nanos().getAsLong()).isGreaterThan(1_400_000_000L);
  }

  @Test
  void countsAddUpExactlyWhenEightThreadsRecordAtOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int thread = 0; thread < 8; thread++) {
      running.add(
          threads.submit(
              () -> {
                start.await();
                for (int i = 0; i < 10_000; i++) {
                  health.recordUnified(MS_84, i % 10 == 0, 2);
                  health.recordLegacy(MS_84, 8);
                }
                return null;
              }));
    }

    start.countDown();
    for (Future<?> each : running) {
      each.get(30, TimeUnit.SECONDS);
    }
    threads.shutdown();

    assertThat(health.unifiedCalls()).isEqualTo(80_000);
    assertThat(health.unifiedFailures()).isEqualTo(8_000);
    assertThat(health.legacyCalls()).isEqualTo(80_000);
    assertThat(health.queryReduction()).hasValue(0.75);
    assertThat(health.unifiedP95Nanos().getAsLong()).isBetween(MS_84, MS_84 + MS_84 / 16);
  }

  @Test
  void allocatesNothingToRecordACall() {
    Runnable calls =
        () -> {
          for (int i = 0; i < 100_000; i++) {
            health.recordUnified(MS_84 + i, i % 7 == 0, i % 5);
            health.recordLegacy(MS_84 * 10 + i, i % 11);
          }
        };
    calls.run();

    long allocated = Allocations.measure(calls);

    // An object per call would be at least 1.6 MB; what remains is the JIT's and the JVM's noise.
    assertThat(allocated).as("bytes allocated by 100,000 calls").isLessThan(100_000);
  }
}
