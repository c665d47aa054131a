package io.pathswitch.core;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.config.Mode;
import io.pathswitch.config.RolloutStep;
import io.pathswitch.config.SwitchConfig;
import io.pathswitch.rollout.Rollout;
import io.pathswitch.state.StateFile;
import io.pathswitch.thresholds.Breaker;
import io.pathswitch.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One switch at run time: its flags, its automatic fallback, its figures per path, and the bindings
 * that tie it to loaded classes. Thread-safe: the hot path reads one immutable {@link Flags}
 * snapshot; changes replace it and are reported to the {@link SwitchListener}.
 */
public final class Switch {

  private static final int LOGGED_MISMATCHES = 5;

  /** How long an enabled switch may go without a call before it says so. */
  public static final Duration NEVER_CALLED_AFTER = Duration.ofMinutes(1);

  private final String name;
  private final Clock clock;
  private final SwitchListener listener;
  private volatile Breaker breaker;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();
  private final PathStats legacy = new PathStats();
  private final PathStats unified = new PathStats();
  private final PathStats fallback = new PathStats();
  private final PathStats shadow = new PathStats();
  private final LongAdder mismatches = new LongAdder();
  private final LongAdder unifiedErrors = new LongAdder();
  private final AtomicInteger loggedMismatches = new AtomicInteger();
  private final AtomicBoolean unifiedRan = new AtomicBoolean();
  private final AtomicBoolean unifiedFailureLogged = new AtomicBoolean();
  private final StatementWindow legacyQueries = new StatementWindow();
  private final StatementWindow unifiedQueries = new StatementWindow();
  private final LongAdder legacyRepeated = new LongAdder();
  private final LongAdder unifiedRepeated = new LongAdder();
  private final AtomicBoolean legacyRepeatWarned = new AtomicBoolean();
  private final AtomicBoolean unifiedRepeatWarned = new AtomicBoolean();
  private final AtomicBoolean neverCalledWarned = new AtomicBoolean();
  private final AtomicBoolean problemLogged = new AtomicBoolean();
  private final AtomicBoolean tooManyQueriesLogged = new AtomicBoolean();

  private volatile SwitchConfig config;
  private volatile Flags flags;
  private volatile String invalidReason;
  private volatile long enabledAtNanos;
  private volatile long enabledAtMillis;
  private volatile boolean calledSinceEnabled;
  private volatile SwitchState lastState;
  private volatile Rollout rollout;

  public Switch(SwitchConfig config, Clock clock, SwitchListener listener) {
    this.name = config.name();
    this.clock = clock;
    this.listener = listener;
    this.config = config;
    this.flags = Flags.of(config, config.enabled(), config.percentage(), config.mode());
    this.breaker = new Breaker(breakerSettings(config), clock, this::breakerMoved);
    markEnabled();
    this.rollout = rolloutOf(config);
    this.lastState = state();
  }

  private Rollout rolloutOf(SwitchConfig config) {
    if (config.rollout().isEmpty()) {
      return null;
    }
    List<Rollout.Step> steps = new java.util.ArrayList<>();
    for (RolloutStep step : config.rollout()) {
      steps.add(new Rollout.Step(step.percentage(), step.duration()));
    }
    Rollout.Health health =
        new Rollout.Health(
            config.healthLatency(), config.healthErrorRate(), config.healthQueryReduction());
    return new Rollout(steps, health, clock, new RolloutTarget());
  }

  /** Where the rollout's decisions land: the switch's own percentage and state. */
  private final class RolloutTarget implements Rollout.Target {

    @Override
    public void applyPercentage(double percentage, String cause) {
      applyPercentageFromRollout(percentage, cause);
    }

    @Override
    public void onPaused(String reason) {
      checkState(reason);
    }

    @Override
    public void onResumed(String cause) {
      checkState(cause);
    }

    @Override
    public void onStepChanged(int stepIndex, String cause) {
      listener.changed(Switch.this, "RolloutStep", stepIndex, stepIndex + 1, cause);
    }

    @Override
    public void onHeld(int stepIndex, String reason) {
      listener.held(Switch.this, stepIndex, reason);
    }
  }

  /** What survives a restart: the flags and where the rollout stands. */
  public StateFile.SwitchState keptState() {
    Flags f = flags;
    Rollout current = rollout;
    return new StateFile.SwitchState(
        name,
        f.enabled(),
        f.percentage(),
        f.mode().name().toLowerCase(java.util.Locale.ROOT),
        current == null ? java.util.Optional.empty() : java.util.Optional.of(current.snapshot()));
  }

  /**
   * Takes back the flags kept by a previous run (read from the state file) instead of the
   * configuration's; the rollout continues where it stood.
   */
  public synchronized void restore(StateFile.SwitchState kept, Mode mode, String cause) {
    Flags old = flags;
    flags = Flags.of(config, kept.enabled(), kept.percentage(), mode);
    if (kept.enabled()) {
      enabledAtNanos = clock.nanoTime();
    }
    if (old.enabled() != kept.enabled()) {
      listener.changed(this, "Enabled", old.enabled(), kept.enabled(), cause);
    }
    if (old.percentage() != kept.percentage()) {
      listener.changed(this, "Percentage", old.percentage(), kept.percentage(), cause);
    }
    if (old.mode() != mode) {
      listener.changed(this, "Mode", old.mode(), mode, cause);
    }
    publish();
  }

  /** Starts the rollout at its first step, or where a kept snapshot says it stood. */
  public void startRollout(Rollout.Snapshot kept, String cause) {
    Rollout current = rollout;
    if (current == null) {
      return;
    }
    if (kept == null) {
      current.start(cause);
    } else {
      current.restore(kept);
      checkState(cause);
    }
  }

  public Rollout rollout() {
    return rollout;
  }

  private synchronized void applyPercentageFromRollout(double value, String cause) {
    Flags old = flags;
    if (old.percentage() == value) {
      return;
    }
    flags = old.withPercentage(value);
    listener.changed(this, "Percentage", old.percentage(), value, cause);
  }

  public String name() {
    return name;
  }

  public SwitchConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- the hot path, via Binding

  int decide(long keyHash) {
    if (!calledSinceEnabled) {
      calledSinceEnabled = true;
    }
    Flags f = flags;
    if (!f.enabled()) {
      return Route.LEGACY;
    }
    if (!chosen(f, keyHash)) {
      return Route.LEGACY;
    }
    // Sampled before the breaker is asked: a probe it admits must run the unified path and
    // record its outcome, or the probe would count as lost.
    if (f.mode() == Mode.SHADOW) {
      return sampled(f) && breaker.tryAcquireUnified() ? Route.SHADOW : Route.LEGACY;
    }
    if (!breaker.tryAcquireUnified()) {
      return Route.LEGACY;
    }
    if (f.mode() == Mode.LIVE) {
      return sampled(f) ? Route.LIVE : Route.DIVERT;
    }
    return Route.DIVERT;
  }

  /**
   * Whether the call is in the switch's share: an excluded key never is, an included key always is,
   * and otherwise its bucket (a random one when the switch has no key) is below the percentage. At
   * 0 % and 100 % no bucket is computed, so the two settings a rollout spends most of its life at
   * cost a comparison or two.
   */
  private static boolean chosen(Flags f, long keyHash) {
    int share = f.basisPoints();
    if (!f.keyed()) {
      return share >= Flags.ALL
          || (share > 0 && ThreadLocalRandom.current().nextInt(Flags.ALL) < share);
    }
    if (f.excluded(keyHash)) {
      return false;
    }
    return share >= Flags.ALL || f.included(keyHash) || (share > 0 && f.bucket(keyHash) < share);
  }

  private static boolean sampled(Flags f) {
    return f.compareBasisPoints() >= Flags.ALL
        || ThreadLocalRandom.current().nextInt(Flags.ALL) < f.compareBasisPoints();
  }

  boolean fallbackEnabled() {
    return config.fallback();
  }

  void unifiedCompleted(long nanos, long statements, long endNanos, boolean served) {
    boolean tooManyQueries =
        statements >= 0
            && config.tripMaxQueries().isPresent()
            && statements > config.tripMaxQueries().getAsInt();
    breaker.record(nanos, tooManyQueries);
    (served ? unified : shadow).record(nanos, tooManyQueries, statements, endNanos);
    if (tooManyQueries && tooManyQueriesLogged.compareAndSet(false, true)) {
      listener.tooManyQueries(this, statements, config.tripMaxQueries().getAsInt());
    }
    if (statements >= 0) {
      unifiedQueries.record(statements);
    }
    Rollout current = rollout;
    if (current != null) {
      current.recordUnified(nanos, tooManyQueries, (int) Math.min(statements, Integer.MAX_VALUE));
    }
    if (!unifiedRan.get() && unifiedRan.compareAndSet(false, true)) {
      listener.unifiedFirstRan(this, nanos, statements);
    }
  }

  /**
   * Records a unified run that threw. A call that the legacy path then answers counts as a fallback
   * call, not as a unified one, so legacy + unified + fallback is the number of calls.
   */
  void unifiedFailed(
      long nanos,
      long statements,
      long endNanos,
      Throwable failure,
      boolean served,
      boolean fellBack) {
    breaker.record(nanos, true);
    unifiedErrors.increment();
    Rollout current = rollout;
    if (current != null) {
      current.recordUnified(nanos, true, (int) Math.min(statements, Integer.MAX_VALUE));
    }
    if (!fellBack) {
      (served ? unified : shadow).record(nanos, true, statements, endNanos);
    }
    if (unifiedFailureLogged.compareAndSet(false, true)) {
      listener.unifiedFailedFirst(this, failure, fellBack);
    }
  }

  public long unifiedErrors() {
    return unifiedErrors.sum();
  }

  void legacyCompleted(int path, long nanos, long statements, long endNanos, boolean failed) {
    (path == Route.FALLBACK ? fallback : legacy).record(nanos, failed, statements, endNanos);
    if (statements >= 0 && !failed) {
      legacyQueries.record(statements);
    }
    Rollout current = rollout;
    if (current != null && path == Route.LEGACY) {
      current.recordLegacy(nanos, (int) Math.min(statements, Integer.MAX_VALUE));
    }
  }

  /** Records the legacy run that follows a unified one in {@code live} mode. */
  void liveLegacyCompleted(long nanos, long statements, long endNanos, boolean failed) {
    shadow.record(nanos, failed, statements, endNanos);
    if (statements >= 0 && !failed) {
      legacyQueries.record(statements);
    }
  }

  /**
   * A call on one path ran one statement shape {@code times} times, at least {@code
   * jdbc.repeat-warning}: an N+1 pattern. Counted per path; the first one per path is reported.
   */
  public void repeatedStatements(boolean unifiedPath, int times, Supplier<String> shape) {
    (unifiedPath ? unifiedRepeated : legacyRepeated).increment();
    AtomicBoolean warned = unifiedPath ? unifiedRepeatWarned : legacyRepeatWarned;
    if (!warned.get() && warned.compareAndSet(false, true)) {
      listener.repeatedStatements(this, unifiedPath ? "unified" : "legacy", shape.get(), times);
    }
  }

  /** Something went wrong inside the agent's own handling of a call; reported once. */
  void agentProblem(String problem) {
    if (problemLogged.compareAndSet(false, true)) {
      listener.agentProblem(this, problem);
    }
  }

  void compared(boolean equal, Object[] args, Object legacyResult, Object unifiedResult) {
    if (equal) {
      return;
    }
    mismatches.increment();
    if (loggedMismatches.get() < LOGGED_MISMATCHES
        && loggedMismatches.getAndIncrement() < LOGGED_MISMATCHES) {
      listener.mismatch(this, args, legacyResult, unifiedResult, mismatches.sum());
    }
  }

  // ---------------------------------------------------------------- operations

  public synchronized void setEnabled(boolean value, String cause) {
    Flags old = flags;
    if (old.enabled() == value) {
      return;
    }
    pauseRolloutForHand("Enabled", value, cause);
    flags = old.withEnabled(value);
    if (value) {
      markEnabled();
    }
    publish();
    listener.changed(this, "Enabled", old.enabled(), value, cause);
    checkState(cause);
  }

  public synchronized void setPercentage(double value, String cause) {
    Flags old = flags;
    if (old.percentage() == value) {
      return;
    }
    pauseRolloutForHand("Percentage", value, cause);
    flags = old.withPercentage(value);
    listener.changed(this, "Percentage", old.percentage(), value, cause);
  }

  private void pauseRolloutForHand(String attribute, Object value, String cause) {
    Rollout current = rollout;
    if (current != null && !current.paused() && !current.done()) {
      current.pauseHere(
          attribute
              + " set to "
              + value
              + " by hand ("
              + cause
              + "); resume() restarts the step, advance() moves to the next");
    }
  }

  /** Rollout: back to 0 % and paused; without a rollout, 0 %. */
  public void rollback(String cause) {
    Rollout current = rollout;
    if (current != null) {
      current.rollback(cause);
    } else {
      setPercentage(0, cause);
    }
  }

  /** Rollout: restarts the current step with a fresh window; the thresholds start anew too. */
  public void resume(String cause) {
    breaker.reset();
    Rollout current = rollout;
    if (current != null) {
      current.resume(cause);
    }
    checkState(cause);
  }

  /** Rollout: moves to the next step now. */
  public void advance(String cause) {
    Rollout current = rollout;
    if (current == null) {
      throw new IllegalStateException("switch " + name + " has no rollout to advance");
    }
    breaker.reset();
    current.advance(cause);
    checkState(cause);
  }

  public String rolloutStep() {
    Rollout current = rollout;
    return current == null ? "none" : current.describe();
  }

  public synchronized void setMode(Mode value, String cause) {
    Flags old = flags;
    if (old.mode() == value) {
      return;
    }
    flags = old.withMode(value);
    listener.changed(this, "Mode", old.mode(), value, cause);
  }

  /** Clears the figures and the thresholds' window; the switch goes back to ON if it tripped. */
  public synchronized void reset(String cause) {
    legacy.reset();
    unified.reset();
    fallback.reset();
    shadow.reset();
    mismatches.reset();
    unifiedErrors.reset();
    loggedMismatches.set(0);
    legacyQueries.reset();
    unifiedQueries.reset();
    legacyRepeated.reset();
    unifiedRepeated.reset();
    legacyRepeatWarned.set(false);
    unifiedRepeatWarned.set(false);
    breaker.reset();
    checkState(cause);
  }

  /** Trips the switch from outside its own window, e.g. the heap guard. */
  public void trip(String reason) {
    breaker.trip(reason);
  }

  /** Takes a new configuration of the same name; figures and state stay. */
  public synchronized void reconfigure(SwitchConfig next, String cause) {
    SwitchConfig old = config;
    config = next;
    Flags previous = flags;
    boolean sameRollout = rollout != null && old.rollout().equals(next.rollout());
    double percentage = sameRollout ? previous.percentage() : next.percentage();
    flags = Flags.of(next, next.enabled(), percentage, next.mode());
    if (next.enabled() && !previous.enabled()) {
      markEnabled();
    }
    if (previous.enabled() != next.enabled()) {
      listener.changed(this, "Enabled", previous.enabled(), next.enabled(), cause);
    }
    if (previous.percentage() != percentage) {
      listener.changed(this, "Percentage", previous.percentage(), percentage, cause);
    }
    if (previous.mode() != next.mode()) {
      listener.changed(this, "Mode", previous.mode(), next.mode(), cause);
    }
    if (!old.rollout().equals(next.rollout())
        || !old.healthLatency().equals(next.healthLatency())
        || old.healthErrorRate() != next.healthErrorRate()
        || !old.healthQueryReduction().equals(next.healthQueryReduction())) {
      rollout = rolloutOf(next);
      startRollout(null, cause);
    }
    if (!breakerSettings(old).equals(breakerSettings(next))) {
      // New thresholds judge a new window: the old outcomes were judged by other rules.
      breaker = new Breaker(breakerSettings(next), clock, this::breakerMoved);
    }
    publish();
    checkState(cause);
  }

  // ---------------------------------------------------------------- bindings

  void bind(Binding binding) {
    bindings.add(binding);
    publish();
    checkState("class " + binding.className() + " loaded");
  }

  /**
   * Marks the switch INVALID: its calls stay on the legacy path, including those of copies of the
   * legacy class that fitted and were bound before (another class loader's copy may not fit).
   */
  public void invalidate(String reason) {
    invalidReason = reason;
    publish();
    checkState(reason);
  }

  List<Binding> bindings() {
    return bindings;
  }

  /** Withdraws every route: the instrumented code runs its legacy path untouched. */
  public synchronized void withdraw() {
    for (Binding binding : bindings) {
      binding.withdraw();
    }
    bindings.clear();
  }

  /** Serialised, so that the last change of flags or validity is the one the routes show. */
  private synchronized void publish() {
    boolean live = flags.enabled() && invalidReason == null;
    for (Binding binding : bindings) {
      binding.publish(live);
    }
  }

  // ---------------------------------------------------------------- what operators read

  public SwitchState state() {
    if (invalidReason != null) {
      return SwitchState.INVALID;
    }
    if (!flags.enabled()) {
      return SwitchState.OFF;
    }
    Rollout current = rollout;
    if (current != null && current.paused()) {
      return SwitchState.PAUSED;
    }
    switch (breaker.state()) {
      case TRIPPED:
        return SwitchState.TRIPPED;
      case PROBING:
        return SwitchState.PROBING;
      default:
        return SwitchState.ON;
    }
  }

  public String stateReason() {
    switch (state()) {
      case INVALID:
        return invalidReason;
      case OFF:
        return "not enabled";
      case PAUSED:
        Breaker.State thresholds = breaker.state();
        return "rollout "
            + rollout.describe()
            + (thresholds == Breaker.State.ON
                ? ""
                : "; thresholds " + thresholds + ": " + breaker.reason());
      case TRIPPED:
      case PROBING:
        return breaker.reason();
      default:
        return bindings.isEmpty()
            ? "waiting for " + config.legacy().className() + " to load"
            : "diverting " + formatPercent(flags.percentage()) + " of calls";
    }
  }

  public boolean enabled() {
    return flags.enabled();
  }

  public double percentage() {
    return flags.percentage();
  }

  public Mode mode() {
    return flags.mode();
  }

  public PathStats legacyStats() {
    return legacy;
  }

  public PathStats unifiedStats() {
    return unified;
  }

  public PathStats fallbackStats() {
    return fallback;
  }

  public PathStats shadowStats() {
    return shadow;
  }

  public long mismatches() {
    return mismatches.sum();
  }

  public Breaker breaker() {
    return breaker;
  }

  public long enabledAtNanos() {
    return enabledAtNanos;
  }

  /** Wall-clock time of the last enablement, for what an operator reads. */
  public long enabledAtMillis() {
    return enabledAtMillis;
  }

  /** Statements per call of the legacy method, over its last 64 completed runs on any path. */
  public double legacyQueriesPerCall() {
    return legacyQueries.perCall();
  }

  /** Statements per call of the unified method, over its last 64 completed runs on any path. */
  public double unifiedQueriesPerCall() {
    return unifiedQueries.perCall();
  }

  /** How much fewer statements per call the unified path runs: 0.99 for 1 against 100; or NaN. */
  public double queryReduction() {
    double legacyPerCall = legacyQueries.perCall();
    double unifiedPerCall = unifiedQueries.perCall();
    if (!(legacyPerCall > 0) || Double.isNaN(unifiedPerCall)) {
      return Double.NaN;
    }
    return 1 - unifiedPerCall / legacyPerCall;
  }

  /** Legacy runs in which one statement shape ran {@code jdbc.repeat-warning} times or more. */
  public long legacyRepeatedCalls() {
    return legacyRepeated.sum();
  }

  /** Unified runs in which one statement shape ran {@code jdbc.repeat-warning} times or more. */
  public long unifiedRepeatedCalls() {
    return unifiedRepeated.sum();
  }

  /**
   * Says once per enablement when the switch is ON above 0 % and its legacy method has not been
   * called for {@link #NEVER_CALLED_AFTER} since it was enabled: the configured method is likely
   * not the one the application calls. The operator's tick calls it once a second.
   */
  public void checkCalled() {
    if (calledSinceEnabled || neverCalledWarned.get()) {
      return;
    }
    if (state() != SwitchState.ON || flags.percentage() <= 0) {
      return;
    }
    if (clock.nanoTime() - enabledAtNanos < NEVER_CALLED_AFTER.toNanos()) {
      return;
    }
    if (neverCalledWarned.compareAndSet(false, true)) {
      listener.neverCalled(this, enabledAtMillis);
    }
  }

  private void markEnabled() {
    enabledAtNanos = clock.nanoTime();
    enabledAtMillis = clock.currentTimeMillis();
    calledSinceEnabled = false;
    neverCalledWarned.set(false);
  }

  /** Reports a change of {@link #state()} once, with its cause. */
  public void checkState(String cause) {
    SwitchState now = state();
    SwitchState before;
    synchronized (this) {
      before = lastState;
      if (before == now) {
        return;
      }
      lastState = now;
    }
    listener.stateChanged(this, before, now, cause.isEmpty() ? stateReason() : cause);
  }

  private void breakerMoved(Breaker.State from, Breaker.State to, String reason) {
    Rollout current = rollout;
    boolean pausedBefore = current != null && current.paused();
    if (to == Breaker.State.TRIPPED && current != null && !pausedBefore && !current.done()) {
      current.pauseAtZero("tripped: " + reason);
    }
    checkState(reason);
    if (pausedBefore && from != to) {
      // A paused rollout shows PAUSED whatever the thresholds do; they are still said.
      listener.thresholdsMoved(this, from.name(), to.name(), reason);
    }
  }

  static String formatPercent(double percentage) {
    return percentage == Math.rint(percentage)
        ? String.format("%d %%", (long) percentage)
        : String.format("%s %%", percentage);
  }

  private static Breaker.Settings breakerSettings(SwitchConfig config) {
    Duration latency = config.tripLatency();
    return new Breaker.Settings(
        latency,
        config.tripSlowRate(),
        config.tripErrorRate(),
        config.tripWindow(),
        config.tripMinCalls(),
        config.tripCoolDown(),
        config.tripProbes());
  }
}
