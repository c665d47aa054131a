package io.pathswitch.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.thresholds.Breaker.Settings;
import io.pathswitch.thresholds.Breaker.State;
import io.pathswitch.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class BreakerTest {

  private static final long FAST = Duration.ofMillis(20).toNanos();
  private static final long SLOW = Duration.ofSeconds(3).toNanos();
  private static final Duration LATENCY = Duration.ofSeconds(2);
  private static final Duration COOL_DOWN = Duration.ofSeconds(60);

  private final FakeClock clock = new FakeClock();
  private final Transitions transitions = new Transitions();

  @Test
  void admitsEveryCallWhileOnWithoutReadingTheClock() {
    Breaker breaker = breaker(settings(0.15, 0.5));
    long readsBefore = clock.nanoTimeReads();

    boolean admitted = true;
    for (int i = 0; i < 1_000; i++) {
      admitted &= breaker.tryAcquireUnified();
    }

    assertThat(admitted).isTrue();
    assertThat(clock.nanoTimeReads()).isEqualTo(readsBefore);
    assertThat(breaker.state()).isEqualTo(State.ON);
  }

  @Test
  void allocatesNothingToAdmitAndRecordCallsWhileOn() {
    Breaker breaker = breaker(new Settings(LATENCY, 0.5, 0.5, 100, 20, COOL_DOWN, 5));
    Runnable calls =
        () -> {
          for (int i = 0; i < 100_000; i++) {
            if (breaker.tryAcquireUnified()) {
              breaker.record(i % 3 == 0 ? SLOW : FAST, i % 5 == 0);
            }
          }
        };
    calls.run();

    long allocated = Allocations.measure(calls);

    assertThat(breaker.state()).isEqualTo(State.ON);
    // An object per call would be at least 1.6 MB; what remains is the JIT's and the JVM's noise.
    assertThat(allocated).as("bytes allocated by 100,000 calls").isLessThan(100_000);
  }

  @Test
  void tripsWhenErrorRateReachesThreshold() {
    Breaker breaker = breaker(settings(0.15, 0.5));

    record(breaker, 17, FAST, false);
    record(breaker, 3, FAST, true);

    assertThat(breaker.state()).isEqualTo(State.TRIPPED);
    assertThat(transitions.all())
        .containsExactly(
            "ON→TRIPPED: 3 of 20 unified calls failed (15.0 % ≥ 15.0 %); legacy path for 1m");
    assertThat(breaker.tryAcquireUnified()).isFalse();
  }

  @Test
  void holdsWhenErrorRateIsJustBelowThreshold() {
    Breaker breaker = breaker(settings(0.15, 0.5));

    record(breaker, 18, FAST, false);
    record(breaker, 2, FAST, true);

    assertThat(breaker.state()).isEqualTo(State.ON);
    assertThat(breaker.snapshot()).isEqualTo(new Breaker.Snapshot(State.ON, "started", 20, 2, 0));
    assertThat(transitions.all()).isEmpty();
  }

  @Test
  void tripsWhenSlowRateReachesThreshold() {
    Breaker breaker = breaker(settings(0.15, 0.6));

    record(breaker, 8, FAST, false);
    record(breaker, 12, SLOW, false);

    assertThat(transitions.all())
        .containsExactly(
            "ON→TRIPPED: 12 of 20 unified calls slower than 2s (60.0 % ≥ 60.0 %); legacy path"
                + " for 1m");
  }

  @Test
  void holdsWhenSlowRateIsJustBelowThreshold() {
    Breaker breaker = breaker(settings(0.15, 0.6));

    record(breaker, 9, FAST, false);
    record(breaker, 11, SLOW, false);

    assertThat(breaker.state()).isEqualTo(State.ON);
  }

  @Test
  void countsACallAsSlowOnlyWhenItTakesLongerThanTheLatency() {
    Breaker breaker = breaker(settings(0.15, 0.5));
    long latency = LATENCY.toNanos();

    breaker.record(latency, false);
    breaker.record(latency + 1, false);

    assertThat(breaker.snapshot().slow()).isEqualTo(1);
  }

  @Test
  void neverJudgesBeforeMinCalls() {
    Breaker breaker = breaker(new Settings(LATENCY, 0.5, 0.01, 100, 20, COOL_DOWN, 5));

    record(breaker, 19, SLOW, true);

    assertThat(breaker.state()).isEqualTo(State.ON);

    breaker.record(FAST, false);

    assertThat(transitions.all())
        .containsExactly(
            "ON→TRIPPED: 19 of 20 unified calls failed (95.0 % ≥ 1.0 %); legacy path for 1m");
  }

  @Test
  void judgesOnlyTheLatestOutcomesOfTheWindow() {
    Breaker breaker = breaker(new Settings(LATENCY, 0.5, 0.3, 10, 10, COOL_DOWN, 5));
    record(breaker, 1, FAST, true);
    record(breaker, 9, FAST, false);

    record(breaker, 2, FAST, true);

    assertThat(breaker.snapshot().failed()).as("the oldest failure left the window").isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(State.ON);

    breaker.record(FAST, true);

    assertThat(breaker.state()).isEqualTo(State.TRIPPED);
  }

  @Test
  void refusesUnifiedCallsUntilTheCoolDownHasPassedToTheNanosecond() {
    Breaker breaker = trippedBreaker(settings(0.15, 0.5));

    clock.advance(COOL_DOWN.minusNanos(1));

    assertThat(breaker.tryAcquireUnified()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.TRIPPED);

    clock.advanceNanos(1);

    assertThat(breaker.tryAcquireUnified()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.PROBING);
    assertThat(transitions.last())
        .isEqualTo("TRIPPED→PROBING: cool-down of 1m over; 5 probes decide");
  }

  @Test
  void admitsOnlyTheConfiguredNumberOfProbes() {
    Breaker breaker = trippedBreaker(settings(0.15, 0.5));
    clock.advance(COOL_DOWN);

    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      admitted += breaker.tryAcquireUnified() ? 1 : 0;
    }

    assertThat(admitted).isEqualTo(5);
  }

  @Test
  void returnsToOnWhenProbesPass() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));

    record(breaker, 5, FAST, false);

    assertThat(breaker.state()).isEqualTo(State.ON);
    assertThat(transitions.last()).isEqualTo("PROBING→ON: 5 of 5 probes passed");
    assertThat(breaker.snapshot().calls()).as("the window starts empty").isZero();
    assertThat(breaker.tryAcquireUnified()).isTrue();
  }

  @Test
  void passesProbesWhoseSlowShareIsBelowTheThreshold() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));

    record(breaker, 3, FAST, false);
    record(breaker, 2, SLOW, false);

    assertThat(transitions.last())
        .isEqualTo("PROBING→ON: 5 probes passed: 2 slower than 2s (40.0 % < 50.0 %)");
  }

  @Test
  void tripsAgainWhenProbesFail() {
    Breaker breaker = probingBreaker(new Settings(LATENCY, 0.5, 0.01, 100, 20, COOL_DOWN, 5));
    long probingSince = breaker.stateSinceNanos();

    record(breaker, 4, FAST, false);
    clock.advance(Duration.ofSeconds(1));
    breaker.record(FAST, true);

    assertThat(breaker.state()).isEqualTo(State.TRIPPED);
    assertThat(transitions.last())
        .isEqualTo("PROBING→TRIPPED: 1 of 5 probes failed (20.0 % ≥ 1.0 %); legacy path for 1m");
    assertThat(breaker.stateSinceNanos() - probingSince)
        .as("the cool-down starts anew")
        .isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void tripsAgainWhenProbesAreSlow() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));

    record(breaker, 2, FAST, false);
    record(breaker, 3, SLOW, false);

    assertThat(transitions.last())
        .isEqualTo(
            "PROBING→TRIPPED: 3 of 5 probes slower than 2s (60.0 % ≥ 50.0 %); legacy path for 1m");
  }

  @Test
  void ignoresOutcomesWhileTripped() {
    Breaker breaker = trippedBreaker(settings(0.15, 0.5));

    record(breaker, 50, SLOW, true);

    assertThat(breaker.snapshot()).extracting(Breaker.Snapshot::calls).isEqualTo(0);
    assertThat(transitions.all()).hasSize(1);
  }

  @Test
  void tripsAgainWhenAProbeIsLostAfterTheProbeDeadline() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));
    admit(breaker, 4);
    record(breaker, 4, FAST, false);

    clock.advance(COOL_DOWN);

    assertThat(breaker.tryAcquireUnified()).isFalse();
    assertThat(breaker.state()).as("exactly at the deadline").isEqualTo(State.PROBING);

    clock.advanceNanos(1);

    assertThat(breaker.tryAcquireUnified()).isFalse();
    assertThat(transitions.last())
        .isEqualTo(
            "PROBING→TRIPPED: 1 of 5 probes lost: no outcome within 1m, counted as failed; legacy"
                + " path for 1m");
  }

  @Test
  void probesAgainAfterTheCoolDownThatFollowsALostProbe() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));
    admit(breaker, 4);
    clock.advance(COOL_DOWN.plusNanos(1));
    breaker.tryAcquireUnified();

    clock.advance(COOL_DOWN);

    assertThat(breaker.tryAcquireUnified()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.PROBING);
  }

  @Test
  void waitsTwiceTheLatencyForAProbeWhenThatIsLongerThanTheCoolDown() {
    Settings settings = new Settings(LATENCY, 0.5, 0.15, 20, 20, Duration.ofSeconds(1), 5);
    Breaker breaker = probingBreaker(settings);
    admit(breaker, 4);
    record(breaker, 4, FAST, false);

    clock.advance(Duration.ofSeconds(4));

    assertThat(breaker.tryAcquireUnified()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.PROBING);

    clock.advanceNanos(1);
    breaker.tryAcquireUnified();

    assertThat(breaker.reason()).startsWith("1 of 5 probes lost: no outcome within 4s");
  }

  @Test
  void keepsProbingWhileProbesArriveSlowlyButComplete() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));
    record(breaker, 1, FAST, false);

    clock.advance(Duration.ofMinutes(10));

    assertThat(breaker.tryAcquireUnified()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.PROBING);
  }

  @Test
  void tripsFromOnForAnExternalCause() {
    Breaker breaker = breaker(settings(0.15, 0.5));

    breaker.trip("heap in use after collection 812 MiB ≥ guard.max-heap 800 MiB (pool G1 Old Gen)");

    assertThat(transitions.all())
        .containsExactly(
            "ON→TRIPPED: heap in use after collection 812 MiB ≥ guard.max-heap 800 MiB (pool G1"
                + " Old Gen); legacy path for 1m");
    assertThat(breaker.tryAcquireUnified()).isFalse();
  }

  @Test
  void tripsFromProbingForAnExternalCause() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));

    breaker.trip("operator");

    assertThat(transitions.last()).isEqualTo("PROBING→TRIPPED: operator; legacy path for 1m");
  }

  @Test
  void restartsTheCoolDownWhenTrippedAgain() {
    Breaker breaker = trippedBreaker(settings(0.15, 0.5));
    clock.advance(Duration.ofSeconds(50));

    breaker.trip("heap still high");
    clock.advance(Duration.ofSeconds(50));

    assertThat(breaker.tryAcquireUnified()).isFalse();
    assertThat(transitions.last())
        .isEqualTo("TRIPPED→TRIPPED: heap still high; legacy path for 1m");
  }

  @Test
  void resetReturnsToOnWithAnEmptyWindow() {
    Breaker breaker = trippedBreaker(settings(0.15, 0.5));

    breaker.reset();

    assertThat(breaker.state()).isEqualTo(State.ON);
    assertThat(breaker.reason()).isEqualTo("reset");
    assertThat(transitions.last()).isEqualTo("TRIPPED→ON: reset");
    assertThat(breaker.snapshot().calls()).isZero();
    assertThat(breaker.tryAcquireUnified()).isTrue();
  }

  @Test
  void resetClearsTheWindowOfABreakerThatIsOn() {
    Breaker breaker = breaker(settings(0.15, 0.5));
    record(breaker, 2, FAST, true);

    breaker.reset();
    record(breaker, 19, FAST, false);

    assertThat(breaker.state()).isEqualTo(State.ON);
    assertThat(breaker.snapshot().failed()).isZero();
  }

  @Test
  void snapshotShowsTheProbeOutcomesWhileProbing() {
    Breaker breaker = probingBreaker(settings(0.15, 0.5));

    breaker.record(FAST, false);
    breaker.record(SLOW, false);

    assertThat(breaker.snapshot())
        .isEqualTo(
            new Breaker.Snapshot(State.PROBING, "cool-down of 1m over; 5 probes decide", 2, 0, 1));
  }

  @Test
  void rejectsSettingsThatCouldNeverJudge() {
    assertThatThrownBy(() -> new Settings(LATENCY, 0.5, 0.01, 100, 101, COOL_DOWN, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minCalls must be from 1 to the window (100), but was 101");
    assertThatThrownBy(() -> new Settings(LATENCY, 0.5, 0, 100, 20, COOL_DOWN, 5))
        .hasMessage("errorRate must be a share above 0 and at most 1, but was 0.0");
    assertThatThrownBy(() -> new Settings(LATENCY, 1.5, 0.01, 100, 20, COOL_DOWN, 5))
        .hasMessage("slowRate must be a share above 0 and at most 1, but was 1.5");
    assertThatThrownBy(() -> new Settings(Duration.ZERO, 0.5, 0.01, 100, 20, COOL_DOWN, 5))
        .hasMessage("latency must be positive, but was PT0S");
    assertThatThrownBy(() -> new Settings(LATENCY, 0.5, 0.01, 2_000_000, 20, COOL_DOWN, 5))
        .hasMessage("window must be from 1 to 1000000, but was 2000000");
    assertThatThrownBy(() -> new Settings(LATENCY, 0.5, 0.01, 100, 20, COOL_DOWN, 0))
        .hasMessage("probes must be from 1 to 1000000, but was 0");
  }

  @Test
  void writesSmallThresholdsWithTheDigitsThatMatter() {
    assertThat(Breaker.percent(0.01)).isEqualTo("1.0 %");
    assertThat(Breaker.percent(0.0005)).isEqualTo("0.05 %");
    assertThat(Breaker.percent(1.0 / 3)).isEqualTo("33.3 %");
    assertThat(Breaker.percent(0)).isEqualTo("0.0 %");
  }

  private Breaker breaker(Settings settings) {
    return new Breaker(settings, clock, transitions);
  }

  private Breaker trippedBreaker(Settings settings) {
    Breaker breaker = breaker(settings);
    breaker.trip("test");
    return breaker;
  }

  private Breaker probingBreaker(Settings settings) {
    Breaker breaker = trippedBreaker(settings);
    clock.advance(settings.coolDown());
    assertThat(breaker.tryAcquireUnified()).isTrue();
    return breaker;
  }

  /** Admits this many more probes, beyond the one that started probing. */
  private static void admit(Breaker breaker, int more) {
    for (int i = 0; i < more; i++) {
      assertThat(breaker.tryAcquireUnified()).isTrue();
    }
  }

  private static void record(Breaker breaker, int times, long nanos, boolean failed) {
    for (int i = 0; i < times; i++) {
      breaker.record(nanos, failed);
    }
  }

  private static Settings settings(double errorRate, double slowRate) {
    return new Settings(LATENCY, slowRate, errorRate, 20, 20, COOL_DOWN, 5);
  }

  /** Every transition as {@code FROM→TO: reason}. */
  static final class Transitions implements Breaker.Listener {

    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    @Override
    public void onTransition(State from, State to, String reason) {
      seen.add(from + "→" + to + ": " + reason);
    }

    List<String> all() {
      return List.copyOf(seen);
    }

    String last() {
      List<String> all = all();
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }
  }
}
