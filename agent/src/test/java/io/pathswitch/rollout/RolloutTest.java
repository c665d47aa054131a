package io.pathswitch.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.rollout.Rollout.Health;
import io.pathswitch.rollout.Rollout.Snapshot;
import io.pathswitch.rollout.Rollout.Step;
import io.pathswitch.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RolloutTest {

  private static final List<Step> FIVE_STEPS =
      List.of(
          step(5, Duration.ofHours(1)),
          step(25, Duration.ofHours(2)),
          step(50, Duration.ofHours(4)),
          step(75, Duration.ofHours(6)),
          new Step(100, Optional.empty()));
  private static final Health HEALTH =
      new Health(Duration.ofMillis(500), 0.001, OptionalDouble.empty());
  private static final Health HEALTH_WITH_QUERIES =
      new Health(Duration.ofMillis(500), 0.001, OptionalDouble.of(0.8));
  private static final long MS_84 = Duration.ofMillis(84).toNanos();

  private final FakeClock clock = new FakeClock();
  private final Events events = new Events();

  @Test
  void startAppliesTheFirstStep() {
    Rollout rollout = rollout(FIVE_STEPS, HEALTH);

    rollout.start("config");

    assertThat(events.all())
        .containsExactly(
            "apply 5.0: rollout step 1 of 5: 5% (config)",
            "step 0: rollout step 1 of 5: 5% (config)");
    assertThat(rollout.describe()).isEqualTo("step 1 of 5: 5% for 1h, 1h left");
  }

  @Test
  void advancesWhenTheStepsTimeIsUpAndItsHealthHeld() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 1_000, MS_84, 0);

    clock.advance(Duration.ofHours(1).minusNanos(1));
    rollout.tick();

    assertThat(events.all()).isEmpty();

    clock.advanceNanos(1);
    rollout.tick();

    // 84ms falls in the histogram bucket that ends at 88.08ms; the p95 is reported at its end.
    String cause =
        "rollout step 2 of 5: 25% (step 1 held 1h with p95 88ms ≤ 500ms, errors 0.00 % ≤ 0.10 %)";
    assertThat(events.all()).containsExactly("apply 25.0: " + cause, "step 1: " + cause);
    assertThat(rollout.stepIndex()).isEqualTo(1);
    assertThat(rollout.stepHealth().unifiedCalls()).as("health starts anew").isZero();
  }

  @Test
  void holdsWhileTheP95IsAboveTheLimit() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 100, Duration.ofMillis(800).toNanos(), 0);

    clock.advance(Duration.ofHours(1));
    rollout.tick();
    rollout.tick();

    assertThat(rollout.stepIndex()).isZero();
    assertThat(rollout.holdReason()).isEqualTo("p95 805ms > 500ms");
    assertThat(events.all()).containsExactly("held 0: step 1 of 5 holds at 5%: p95 805ms > 500ms");
    assertThat(rollout.describe()).isEqualTo("step 1 of 5: 5% for 1h, holding: p95 805ms > 500ms");
  }

  @Test
  void holdsWhileTheErrorRateIsAboveTheLimit() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 998, MS_84, 0);
    unified(rollout, 2, MS_84, 0, true);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(rollout.stepIndex()).isZero();
    assertThat(rollout.holdReason()).isEqualTo("errors 0.20 % > 0.10 %");
  }

  @Test
  void advancesWithTheErrorRateExactlyAtTheLimit() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 999, MS_84, 0);
    unified(rollout, 1, MS_84, 0, true);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(rollout.stepIndex()).isEqualTo(1);
  }

  @Test
  void holdsWhileTheQueryReductionIsBelowTheMinimum() {
    Rollout rollout = started(FIVE_STEPS, HEALTH_WITH_QUERIES);
    unified(rollout, 100, MS_84, 2);
    legacy(rollout, 100, 4);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(rollout.holdReason())
        .isEqualTo("query reduction 50.0 % < 80.0 % (2.0 vs 4.0 per call)");
  }

  @Test
  void advancesWhenTheQueryReductionIsMet() {
    Rollout rollout = started(FIVE_STEPS, HEALTH_WITH_QUERIES);
    unified(rollout, 100, MS_84, 1);
    legacy(rollout, 100, 4_000);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(events.last())
        .isEqualTo(
            "step 1: rollout step 2 of 5: 25% (step 1 held 1h with p95 88ms ≤ 500ms, errors 0.00 %"
                + " ≤ 0.10 %, query reduction 100.0 % ≥ 80.0 % (1.0 vs 4000.0 per call))");
  }

  @Test
  void advancesWithoutJudgingQueriesThatAreNotCounted() {
    Rollout rollout = started(FIVE_STEPS, HEALTH_WITH_QUERIES);
    unified(rollout, 100, MS_84, -1);
    legacy(rollout, 100, -1);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(rollout.stepIndex()).isEqualTo(1);
    assertThat(events.last()).endsWith("queries not counted on both paths)");
  }

  @Test
  void holdsAStepWithoutUnifiedCalls() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    legacy(rollout, 100, 4);

    clock.advance(Duration.ofHours(1));
    rollout.tick();

    assertThat(rollout.holdReason()).isEqualTo("no unified calls during the step");
  }

  @Test
  void advancesAZeroPercentStepWithoutUnifiedCalls() {
    Rollout rollout =
        started(List.of(step(0, Duration.ofMinutes(10)), new Step(100, Optional.empty())), HEALTH);

    clock.advance(Duration.ofMinutes(10));
    rollout.tick();

    assertThat(events.last())
        .isEqualTo(
            "step 1: rollout step 2 of 2: 100% (step 1 held 10m with no unified calls at 0%)");
    assertThat(rollout.done()).isTrue();
  }

  @Test
  void advancesAtTheFirstTickWhereHealthSinceTheStepBeganIsGood() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 998, MS_84, 0);
    unified(rollout, 2, MS_84, 0, true);
    clock.advance(Duration.ofHours(1));
    rollout.tick();

    unified(rollout, 1_000, MS_84, 0);
    clock.advance(Duration.ofMinutes(1));
    rollout.tick();

    assertThat(rollout.stepIndex()).isEqualTo(1);
    assertThat(rollout.holdReason()).isEmpty();
    assertThat(events.last()).contains("(step 1 held 1h 1m with p95 88ms ≤ 500ms, errors 0.10 %");
  }

  @Test
  void pauseAtZeroSendsEveryCallToTheLegacyPathAndStopsTheSteps() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    unified(rollout, 1_000, MS_84, 0);

    rollout.pauseAtZero("switch tripped: 3 of 20 unified calls failed");
    clock.advance(Duration.ofHours(2));
    rollout.tick();

    assertThat(events.all())
        .containsExactly(
            "apply 0.0: rollout paused at step 1 of 5: switch tripped: 3 of 20 unified calls"
                + " failed",
            "paused: switch tripped: 3 of 20 unified calls failed");
    assertThat(rollout.paused()).isTrue();
    assertThat(rollout.describe())
        .isEqualTo("paused at step 1 of 5: switch tripped: 3 of 20 unified calls failed");
  }

  @Test
  void pauseHereLeavesThePercentageAsItIs() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);

    rollout.pauseHere("Percentage set to 40 over JMX");

    assertThat(events.all()).containsExactly("paused: Percentage set to 40 over JMX");
    assertThat(rollout.pauseReason()).isEqualTo("Percentage set to 40 over JMX");
  }

  @Test
  void resumeRestartsTheCurrentStepsTimeAndHealth() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    clock.advance(Duration.ofMinutes(50));
    rollout.pauseAtZero("tripped");
    events.clear();

    rollout.resume("operator");
    unified(rollout, 100, MS_84, 0);
    clock.advance(Duration.ofMinutes(59));
    rollout.tick();

    assertThat(events.all())
        .containsExactly(
            "apply 5.0: rollout resumed at step 1 of 5: 5% (operator)", "resumed: operator");
    assertThat(rollout.paused()).isFalse();

    clock.advance(Duration.ofMinutes(1));
    rollout.tick();

    assertThat(rollout.stepIndex()).isEqualTo(1);
  }

  @Test
  void resumeDoesNothingWhenNotPaused() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);

    rollout.resume("operator");

    assertThat(events.all()).isEmpty();
  }

  @Test
  void advanceMovesToTheNextStepNowAndResumes() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    rollout.pauseAtZero("tripped");
    events.clear();

    rollout.advance("operator over JMX");

    assertThat(events.all())
        .containsExactly(
            "apply 25.0: rollout step 2 of 5: 25% (operator over JMX)",
            "step 1: rollout step 2 of 5: 25% (operator over JMX)", "resumed: operator over JMX");
    assertThat(rollout.paused()).isFalse();
  }

  @Test
  void rollbackSendsEveryCallToTheLegacyPathAndPauses() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    rollout.advance("operator");
    events.clear();

    rollout.rollback("operator over the CLI");

    assertThat(events.all())
        .containsExactly(
            "apply 0.0: rollout paused at step 2 of 5: rolled back: operator over the CLI",
            "paused: rolled back: operator over the CLI");
    assertThat(rollout.paused()).isTrue();
    assertThat(rollout.stepIndex()).isEqualTo(1);
  }

  @Test
  void describesTheTimeLeftInTheStep() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    rollout.advance("operator");

    clock.advance(Duration.ofMinutes(79));

    assertThat(rollout.describe()).isEqualTo("step 2 of 5: 25% for 2h, 41m left");
  }

  @Test
  void describesAStepThatIsDueBeforeTheNextTick() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);

    clock.advance(Duration.ofHours(1));

    assertThat(rollout.describe()).isEqualTo("step 1 of 5: 5% for 1h, due");
  }

  @Test
  void endsAtTheLastStep() {
    Rollout rollout = started(FIVE_STEPS, HEALTH);
    for (int i = 0; i < 4; i++) {
      rollout.advance("operator");
    }
    events.clear();

    rollout.advance("operator");
    clock.advance(Duration.ofDays(1));
    rollout.tick();

    assertThat(rollout.done()).isTrue();
    assertThat(rollout.describe()).isEqualTo("done: 100%");
    assertThat(events.all()).isEmpty();
  }

  @Test
  void waitsForAnOperatorAtAStepWithoutDuration() {
    Rollout rollout =
        started(List.of(new Step(5, Optional.empty()), new Step(100, Optional.empty())), HEALTH);
    unified(rollout, 100, MS_84, 0);

    clock.advance(Duration.ofDays(7));
    rollout.tick();

    assertThat(rollout.stepIndex()).isZero();
    assertThat(rollout.describe()).isEqualTo("step 1 of 2: 5%, until advanced");
  }

  @Test
  void continuesARestoredStepWithTheTimeItHadLeft() {
    Rollout before = started(FIVE_STEPS, HEALTH);
    before.advance("operator");
    clock.advance(Duration.ofMinutes(79));
    Snapshot snapshot = before.snapshot();
    Rollout after = rollout(FIVE_STEPS, HEALTH);

    after.restore(snapshot);

    assertThat(snapshot).isEqualTo(new Snapshot(1, Duration.ofMinutes(79).toMillis(), false, ""));
    assertThat(after.describe()).isEqualTo("step 2 of 5: 25% for 2h, 41m left");
    assertThat(events.all()).as("restoring applies nothing").hasSize(2);

    unified(after, 100, MS_84, 0);
    clock.advance(Duration.ofMinutes(41).minusNanos(1));
    after.tick();

    assertThat(after.stepIndex()).isEqualTo(1);

    clock.advanceNanos(1);
    after.tick();

    assertThat(after.stepIndex()).isEqualTo(2);
  }

  @Test
  void restoresAPausedRollout() {
    Rollout rollout = rollout(FIVE_STEPS, HEALTH);

    rollout.restore(new Snapshot(3, 1_000, true, "tripped: heap"));

    assertThat(rollout.paused()).isTrue();
    assertThat(rollout.describe()).isEqualTo("paused at step 4 of 5: tripped: heap");
    assertThat(rollout.snapshot()).isEqualTo(new Snapshot(3, 1_000, true, "tripped: heap"));
  }

  @Test
  void refusesASnapshotThatDoesNotFitTheSteps() {
    Rollout rollout = rollout(FIVE_STEPS, HEALTH);

    assertThatThrownBy(() -> rollout.restore(new Snapshot(7, 0, false, "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rollout snapshot is at step 8, but the rollout has 5 steps");
  }

  @Test
  void letsATargetCallBackIntoTheRollout() {
    List<String> seen = new ArrayList<>();
    Rollout[] self = new Rollout[1];
    Rollout rollout =
        new Rollout(
            FIVE_STEPS,
            HEALTH,
            clock,
            new Events(
                event -> {
                  seen.add(event + " / " + self[0].describe());
                  if (event.startsWith("step 1")) {
                    self[0].pauseHere("operator set Percentage");
                  }
                }));
    self[0] = rollout;

    rollout.advance("operator");

    assertThat(seen)
        .containsExactly(
            "apply 25.0: rollout step 2 of 5: 25% (operator) / step 2 of 5: 25% for 2h, 2h left",
            "step 1: rollout step 2 of 5: 25% (operator) / step 2 of 5: 25% for 2h, 2h left",
            "paused: operator set Percentage / paused at step 2 of 5: operator set Percentage");
  }

  @Test
  void rejectsStepsAndHealthOutOfRange() {
    assertThatThrownBy(() -> new Step(101, Optional.empty()))
        .hasMessage("a step's percentage must be from 0 to 100, but was 101.0");
    assertThatThrownBy(() -> step(5, Duration.ZERO))
        .hasMessage("a step's duration must be positive, but was PT0S");
    assertThatThrownBy(() -> new Health(Duration.ofMillis(500), 1.5, OptionalDouble.empty()))
        .hasMessage("maxErrorRate must be a share from 0 to 1, but was 1.5");
    assertThatThrownBy(() -> rollout(List.of(), HEALTH))
        .hasMessage("a rollout needs at least one step");
  }

  @Test
  void writesFiguresTheWayAnOperatorReadsThem() {
    assertThat(Rollout.percent(2.5)).isEqualTo("2.5%");
    assertThat(Rollout.percent(100)).isEqualTo("100%");
    assertThat(Rollout.latency(420_000)).isEqualTo("0.4ms");
    assertThat(Rollout.latency(999_600_000)).isEqualTo("1s");
    assertThat(Rollout.latency(1_254_000_000)).isEqualTo("1.25s");
  }

  private Rollout rollout(List<Step> steps, Health health) {
    return new Rollout(steps, health, clock, events);
  }

  private Rollout started(List<Step> steps, Health health) {
    Rollout rollout = rollout(steps, health);
    rollout.start("config");
    events.clear();
    return rollout;
  }

  private static Step step(double percentage, Duration duration) {
    return new Step(percentage, Optional.of(duration));
  }

  private static void unified(Rollout rollout, int calls, long nanos, int queries) {
    unified(rollout, calls, nanos, queries, false);
  }

  private static void unified(Rollout rollout, int calls, long nanos, int queries, boolean failed) {
    for (int i = 0; i < calls; i++) {
      rollout.recordUnified(nanos, failed, queries);
    }
  }

  private static void legacy(Rollout rollout, int calls, int queries) {
    for (int i = 0; i < calls; i++) {
      rollout.recordLegacy(Duration.ofMillis(1_400).toNanos(), queries);
    }
  }

  /** Every callback as one line of text, in the order it arrived. */
  private static final class Events implements Rollout.Target {

    private final List<String> seen = new ArrayList<>();
    private final Consumer<String> also;

    Events() {
      this(event -> {});
    }

    Events(Consumer<String> also) {
      this.also = also;
    }

    @Override
    public void applyPercentage(double percentage, String cause) {
      add("apply " + percentage + ": " + cause);
    }

    @Override
    public void onPaused(String reason) {
      add("paused: " + reason);
    }

    @Override
    public void onResumed(String cause) {
      add("resumed: " + cause);
    }

    @Override
    public void onStepChanged(int stepIndex, String cause) {
      add("step " + stepIndex + ": " + cause);
    }

    @Override
    public void onHeld(int stepIndex, String reason) {
      add("held " + stepIndex + ": " + reason);
    }

    private synchronized void add(String event) {
      seen.add(event);
      also.accept(event);
    }

    synchronized List<String> all() {
      return List.copyOf(seen);
    }

    synchronized String last() {
      return seen.get(seen.size() - 1);
    }

    synchronized void clear() {
      seen.clear();
    }
  }
}
