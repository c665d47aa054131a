package io.pathswitch.rollout;

import io.pathswitch.time.Clock;
import io.pathswitch.time.Durations;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives one switch's percentage through the steps of its rollout, advancing when a step's time is
 * up and the unified path's health held during it.
 *
 * <p>A step that is due but unhealthy holds: it is judged again at every {@link #tick()} on all the
 * health recorded since the step began, and advances at the first tick where that is good. The last
 * step ends the rollout ({@link #done()}); a duration given to it is not used. A step without a
 * duration before the last waits for {@link #advance}.
 *
 * <p>Thread-safe. Recording health ({@link #recordUnified}, {@link #recordLegacy}) is lock-free and
 * allocates nothing. Every other method takes a short lock. {@link Target} callbacks are delivered
 * one at a time, in the order of the changes that caused them, and never under that lock, so a
 * target may call back into this rollout; when another thread is already delivering, a method may
 * return before the callbacks it caused have run.
 */
public final class Rollout {

  /**
   * One step: a percentage of calls for the unified path, held for a duration.
   *
   * @param percentage 0 to 100
   * @param duration how long the step lasts at least; empty for a step that waits for an operator
   */
  public record Step(double percentage, Optional<Duration> duration) {

    public Step {
      if (!(percentage >= 0 && percentage <= 100)) {
        throw new IllegalArgumentException(
            "a step's percentage must be from 0 to 100, but was " + percentage);
      }
      Objects.requireNonNull(duration, "duration");
      duration.ifPresent(
          d -> {
            if (d.isNegative() || d.isZero()) {
              throw new IllegalArgumentException(
                  "a step's duration must be positive, but was " + d);
            }
          });
    }
  }

  /**
   * What a step must keep to advance.
   *
   * @param maxP95Latency the highest 95th percentile of unified latency
   * @param maxErrorRate the highest share (0 to 1) of failed unified calls
   * @param minQueryReduction the least share (up to 1) of statements per call the unified path must
   *     save against the legacy path; judged only where both paths' statements are counted
   */
  public record Health(
      Duration maxP95Latency, double maxErrorRate, OptionalDouble minQueryReduction) {

    public Health {
      Objects.requireNonNull(maxP95Latency, "maxP95Latency");
      Objects.requireNonNull(minQueryReduction, "minQueryReduction");
      if (maxP95Latency.isNegative() || maxP95Latency.isZero()) {
        throw new IllegalArgumentException(
            "maxP95Latency must be positive, but was " + maxP95Latency);
      }
      if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
        throw new IllegalArgumentException(
            "maxErrorRate must be a share from 0 to 1, but was " + maxErrorRate);
      }
      minQueryReduction.ifPresent(
          min -> {
            if (!(min <= 1) || Double.isInfinite(min)) {
              throw new IllegalArgumentException(
                  "minQueryReduction must be a share of at most 1, but was " + min);
            }
          });
    }
  }

  /**
   * Where a rollout stands, to be kept across a restart.
   *
   * @param stepIndex the current step, from 0
   * @param elapsedInStepMillis how long the current step has run
   * @param paused whether the rollout is paused
   * @param pauseReason why; empty when not paused
   */
  public record Snapshot(
      int stepIndex, long elapsedInStepMillis, boolean paused, String pauseReason) {

    public Snapshot {
      pauseReason = pauseReason == null ? "" : pauseReason;
    }
  }

  /**
   * Where the rollout's decisions go: the switch it drives. Callbacks must not throw: an exception
   * reaches the thread that caused the change, and the callbacks queued after it run with the next
   * change.
   */
  public interface Target {

    /** Sets the switch's percentage; the cause says which step and why, for the operator. */
    void applyPercentage(double percentage, String cause);

    void onPaused(String reason);

    void onResumed(String cause);

    /** The rollout moved to this step (from 0). */
    void onStepChanged(int stepIndex, String cause);

    /** A due step does not advance because its health did not hold; said once per step. */
    default void onHeld(int stepIndex, String reason) {}
  }

  private static final long MAX_ELAPSED_MILLIS = Long.MAX_VALUE / 2 / 1_000_000L;

  private final List<Step> steps;
  private final Health health;
  private final Clock clock;
  private final Target target;
  private final long maxP95Nanos;

  private final Object lock = new Object();
  private final Queue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();

  private volatile StepHealth stepHealth = new StepHealth();

  // Guarded by lock.
  private int stepIndex;
  private long stepStartNanos;
  private boolean paused;
  private String pauseReason = "";
  private String holdReason = "";

  /**
   * A rollout at its first step, whose time starts now. Nothing is applied to the target until
   * {@link #start} (or a later change) says so.
   */
  public Rollout(List<Step> steps, Health health, Clock clock, Target target) {
    this.steps = List.copyOf(steps);
    this.health = Objects.requireNonNull(health, "health");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.target = Objects.requireNonNull(target, "target");
    if (this.steps.isEmpty()) {
      throw new IllegalArgumentException("a rollout needs at least one step");
    }
    this.maxP95Nanos = Durations.saturatedNanos(health.maxP95Latency());
    this.stepStartNanos = clock.nanoTime();
  }

  /** Records a call served by the unified path; see {@link StepHealth#recordUnified}. */
  public void recordUnified(long nanos, boolean failed, int queries) {
    stepHealth.recordUnified(nanos, failed, queries);
  }

  /** Records a call served by the legacy path; see {@link StepHealth#recordLegacy}. */
  public void recordLegacy(long nanos, int queries) {
    stepHealth.recordLegacy(nanos, queries);
  }

  /** The health recorded since the current step began. */
  public StepHealth stepHealth() {
    return stepHealth;
  }

  /** Begins the rollout at its first step: applies its percentage, and its time starts now. */
  public void start(String cause) {
    synchronized (lock) {
      moveTo(0, cause);
    }
    deliver();
  }

  /** Advances the current step if its time is up and its health held; called every second. */
  public void tick() {
    synchronized (lock) {
      judgeDueStep();
    }
    deliver();
  }

  /** Pauses and sends every call to the legacy path, as after a trip. */
  public void pauseAtZero(String reason) {
    synchronized (lock) {
      pause(reason);
      enqueue(() -> target.applyPercentage(0, "rollout paused at " + position() + ": " + reason));
      enqueueOnPaused(reason);
    }
    deliver();
  }

  /** Pauses and leaves the percentage as it is, as when an operator sets it by hand. */
  public void pauseHere(String reason) {
    synchronized (lock) {
      pause(reason);
      enqueueOnPaused(reason);
    }
    deliver();
  }

  /**
   * Resumes a paused rollout at its current step, which starts anew: its time and its health. Does
   * nothing when the rollout is not paused.
   */
  public void resume(String cause) {
    synchronized (lock) {
      resumeHere(cause);
    }
    deliver();
  }

  /**
   * Moves to the next step now, whatever its health, resuming a paused rollout. At the last step it
   * only resumes.
   */
  public void advance(String cause) {
    synchronized (lock) {
      if (stepIndex == steps.size() - 1) {
        resumeHere(cause);
      } else {
        moveTo(stepIndex + 1, cause);
      }
    }
    deliver();
  }

  /** Sends every call to the legacy path and pauses, at the current step. */
  public void rollback(String cause) {
    pauseAtZero("rolled back: " + cause);
  }

  public boolean paused() {
    synchronized (lock) {
      return paused;
    }
  }

  /** Why the rollout is paused; empty when it is not. */
  public String pauseReason() {
    synchronized (lock) {
      return pauseReason;
    }
  }

  /** The current step, from 0. */
  public int stepIndex() {
    synchronized (lock) {
      return stepIndex;
    }
  }

  public List<Step> steps() {
    return steps;
  }

  /** Whether the rollout has reached its last step. */
  public boolean done() {
    synchronized (lock) {
      return stepIndex == steps.size() - 1;
    }
  }

  /** Why a step whose time is up does not advance; empty when it is not holding. */
  public String holdReason() {
    synchronized (lock) {
      return holdReason;
    }
  }

  /**
   * Where the rollout stands, for the operator: {@code step 2 of 5: 25% for 2h, 41m left}, {@code
   * step 2 of 5: 25% for 2h, holding: p95 812ms > 500ms}, {@code paused at step 2 of 5: <reason>}
   * or {@code done: 100%}.
   */
  public String describe() {
    synchronized (lock) {
      Step step = steps.get(stepIndex);
      if (paused) {
        return "paused at " + position() + ": " + pauseReason;
      }
      if (stepIndex == steps.size() - 1) {
        return "done: " + percent(step.percentage());
      }
      if (step.duration().isEmpty()) {
        return position() + ": " + percent(step.percentage()) + ", until advanced";
      }

      Duration duration = step.duration().get();
      String head = position() + ": " + percent(step.percentage()) + " for " + format(duration);
      if (!holdReason.isEmpty()) {
        return head + ", holding: " + holdReason;
      }
      Duration left = duration.minus(Duration.ofNanos(clock.nanoTime() - stepStartNanos));
      if (left.isNegative() || left.isZero()) {
        return head + ", due";
      }
      return head + ", " + Durations.approximately(left) + " left";
    }
  }

  public Snapshot snapshot() {
    synchronized (lock) {
      long elapsedMillis = Duration.ofNanos(clock.nanoTime() - stepStartNanos).toMillis();
      return new Snapshot(stepIndex, elapsedMillis, paused, pauseReason);
    }
  }

  /**
   * Puts the rollout where a snapshot says, its step continuing with the time it had left. Health
   * starts anew: what was recorded before a restart is gone. Nothing is applied to the target: the
   * switch's percentage is restored with the rest of its state.
   *
   * @throws IllegalArgumentException when the snapshot does not fit these steps
   */
  public void restore(Snapshot snapshot) {
    if (snapshot.stepIndex() < 0 || snapshot.stepIndex() >= steps.size()) {
      throw new IllegalArgumentException(
          "rollout snapshot is at step "
              + (snapshot.stepIndex() + 1)
              + ", but the rollout has "
              + steps.size()
              + " steps");
    }
    if (snapshot.elapsedInStepMillis() < 0) {
      throw new IllegalArgumentException(
          "rollout snapshot's time in step must not be negative, but was "
              + snapshot.elapsedInStepMillis());
    }

    synchronized (lock) {
      stepIndex = snapshot.stepIndex();
      // Capped so that the subtraction cannot overflow into a start in the future.
      long elapsedMillis = Math.min(snapshot.elapsedInStepMillis(), MAX_ELAPSED_MILLIS);
      stepStartNanos = clock.nanoTime() - elapsedMillis * 1_000_000L;
      paused = snapshot.paused();
      pauseReason = paused ? snapshot.pauseReason() : "";
      holdReason = "";
      stepHealth = new StepHealth();
    }
  }

  @Override
  public String toString() {
    return "Rollout[" + describe() + "]";
  }

  private void judgeDueStep() {
    Step step = steps.get(stepIndex);
    if (paused || stepIndex == steps.size() - 1 || step.duration().isEmpty()) {
      return;
    }
    long elapsed = clock.nanoTime() - stepStartNanos;
    if (elapsed < Durations.saturatedNanos(step.duration().get())) {
      return;
    }

    Verdict verdict = judge(step, stepHealth);
    if (verdict.failures.isEmpty()) {
      String held =
          "step "
              + (stepIndex + 1)
              + " held "
              + Durations.approximately(Duration.ofNanos(elapsed))
              + " with "
              + verdict.figures;
      moveTo(stepIndex + 1, held);
    } else {
      boolean first = holdReason.isEmpty();
      holdReason = verdict.failures;
      if (first) {
        int index = stepIndex;
        String reason = position() + " holds at " + percent(step.percentage()) + ": " + holdReason;
        enqueue(() -> target.onHeld(index, reason));
      }
    }
  }

  private Verdict judge(Step step, StepHealth measured) {
    List<String> figures = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    OptionalLong p95 = measured.unifiedP95Nanos();
    if (p95.isEmpty()) {
      if (step.percentage() == 0) {
        return new Verdict("no unified calls at 0%", List.of());
      }
      return new Verdict("", List.of("no unified calls during the step"));
    }

    String limit = format(health.maxP95Latency());
    boolean fastEnough = p95.getAsLong() <= maxP95Nanos;
    String latency = latency(p95.getAsLong());
    figures.add("p95 " + latency + " ≤ " + limit);
    if (!fastEnough) {
      failures.add("p95 " + latency + " > " + limit);
    }

    double errorRate = measured.errorRate();
    String errors = errorPercent(errorRate);
    String maxErrors = errorPercent(health.maxErrorRate());
    figures.add("errors " + errors + " ≤ " + maxErrors);
    if (errorRate > health.maxErrorRate()) {
      failures.add("errors " + errors + " > " + maxErrors);
    }

    health.minQueryReduction().ifPresent(min -> judgeQueries(measured, min, figures, failures));
    return new Verdict(String.join(", ", figures), failures);
  }

  private static void judgeQueries(
      StepHealth measured, double min, List<String> figures, List<String> failures) {
    OptionalDouble reduction = measured.queryReduction();
    if (reduction.isEmpty()) {
      figures.add("queries not counted on both paths");
      return;
    }
    String perCall =
        String.format(
            Locale.ROOT,
            " (%.1f vs %.1f per call)",
            measured.unifiedQueriesPerCall().getAsDouble(),
            measured.legacyQueriesPerCall().getAsDouble());
    String saved = reductionPercent(reduction.getAsDouble());
    String wanted = reductionPercent(min);
    figures.add("query reduction " + saved + " ≥ " + wanted + perCall);
    if (reduction.getAsDouble() < min) {
      failures.add("query reduction " + saved + " < " + wanted + perCall);
    }
  }

  private void moveTo(int index, String cause) {
    boolean wasPaused = paused;
    stepIndex = index;
    restartStep();

    double percentage = steps.get(index).percentage();
    String applied = "rollout " + position() + ": " + percent(percentage) + " (" + cause + ")";
    enqueue(() -> target.applyPercentage(percentage, applied));
    enqueue(() -> target.onStepChanged(index, applied));
    if (wasPaused) {
      enqueue(() -> target.onResumed(cause));
    }
  }

  private void resumeHere(String cause) {
    if (!paused) {
      return;
    }
    restartStep();

    double percentage = steps.get(stepIndex).percentage();
    String applied = "rollout resumed at " + position() + ": " + percent(percentage);
    enqueue(() -> target.applyPercentage(percentage, applied + " (" + cause + ")"));
    enqueue(() -> target.onResumed(cause));
  }

  private void restartStep() {
    paused = false;
    pauseReason = "";
    holdReason = "";
    stepStartNanos = clock.nanoTime();
    stepHealth = new StepHealth();
  }

  private void pause(String reason) {
    Objects.requireNonNull(reason, "reason");
    paused = true;
    pauseReason = reason;
    holdReason = "";
  }

  private void enqueueOnPaused(String reason) {
    enqueue(() -> target.onPaused(reason));
  }

  /** Called under the lock, so callbacks queue in the order of the changes that caused them. */
  private void enqueue(Runnable callback) {
    callbacks.add(callback);
  }

  /**
   * Runs queued callbacks outside the lock, on one thread at a time. The check after releasing the
   * delivering flag picks up callbacks queued by another thread that found the flag taken.
   */
  private void deliver() {
    while (!callbacks.isEmpty() && delivering.compareAndSet(false, true)) {
      try {
        for (Runnable callback = callbacks.poll(); callback != null; callback = callbacks.poll()) {
          callback.run();
        }
      } finally {
        delivering.set(false);
      }
    }
  }

  private String position() {
    return "step " + (stepIndex + 1) + " of " + steps.size();
  }

  private static String format(Duration duration) {
    return Durations.format(duration);
  }

  /** {@code 25%}, {@code 2.5%}. */
  static String percent(double percentage) {
    return BigDecimal.valueOf(percentage).stripTrailingZeros().toPlainString() + "%";
  }

  /** {@code 0.00 %}; error rates are small, so two decimals. */
  static String errorPercent(double share) {
    return String.format(Locale.ROOT, "%.2f %%", share * 100);
  }

  static String reductionPercent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  /** {@code 0.4ms}, {@code 84ms}, {@code 1.25s}: three significant digits at most. */
  static String latency(long nanos) {
    if (nanos < 10_000_000L) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    if (nanos < 999_500_000L) {
      return Math.round(nanos / 1e6) + "ms";
    }
    BigDecimal seconds = new BigDecimal(nanos / 1e9).round(new MathContext(3));
    return seconds.stripTrailingZeros().toPlainString() + "s";
  }

  /** The figures of a judged step, and what failed (empty when its health held). */
  private static final class Verdict {

    final String figures;
    final String failures;

    Verdict(String figures, List<String> failures) {
      this.figures = figures;
      this.failures = String.join(", ", failures);
    }
  }
}
