package io.pathswitch.thresholds;

import io.pathswitch.time.Clock;
import io.pathswitch.time.Durations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The automatic fallback of one switch: whether a call may take the unified path, judged from the
 * outcomes of the unified calls before it.
 *
 * <p>{@link State#ON ON} admits every call and judges the last {@code window} outcomes; when the
 * share of failed or of slow calls among them reaches its threshold, the breaker trips. {@link
 * State#TRIPPED TRIPPED} sends every call to the legacy path until the cool-down has passed; then
 * {@link State#PROBING PROBING} admits {@code probes} calls, whose outcomes decide between ON and
 * TRIPPED.
 *
 * <p>Thread-safe and lock-free. {@link #tryAcquireUnified()} and {@link #record} allocate nothing
 * except when they cause a transition. Each state is an immutable phase object swapped by
 * compare-and-set, so every transition happens once, and the listener hears of it once, from the
 * thread whose compare-and-set won.
 *
 * <p>What the window guarantees under contention:
 *
 * <ul>
 *   <li>Every outcome recorded while ON takes one slot of the ring; a slot that changes kind is
 *       swapped atomically and the counts move by one atomic add for it (an outcome of the kind the
 *       slot holds already changes nothing), so once the recording threads are quiet the counts
 *       equal the ring's contents exactly; they never drift.
 *   <li>A judgement reads the counts that its own add produced: all three from the same instant,
 *       but possibly without the outcomes of up to one concurrent {@code record} per other thread
 *       that has swapped its slot and not yet added.
 *   <li>Outcomes recorded by threads that read the phase just before a transition land in the old
 *       phase's counts, which nothing reads again: a new ON phase starts with an empty window.
 *   <li>While PROBING, the outcome that brings the count to {@code probes} decides, on counts that
 *       include exactly the first {@code probes} outcomes; later ones are ignored.
 * </ul>
 *
 * <p>A known limit: {@code record} cannot tell a probe from a call that was admitted while ON and
 * is still running when probing begins. Such a straggler counts as a probe. It has been running for
 * at least the cool-down, so it usually counts as slow, and the round fails, which is the verdict a
 * call that slow deserves anyway.
 */
public final class Breaker {

  /**
   * The thresholds of one switch.
   *
   * @param latency a unified call slower than this counts as slow
   * @param slowRate the share (0 to 1) of slow calls in the window that trips the breaker
   * @param errorRate the share (0 to 1) of failed calls in the window that trips the breaker
   * @param window how many of the latest outcomes are judged
   * @param minCalls the fewest outcomes in the window before any judgement
   * @param coolDown how long a tripped breaker sends calls to the legacy path before probing
   * @param probes the unified calls that decide, after the cool-down, between ON and TRIPPED
   */
  public record Settings(
      Duration latency,
      double slowRate,
      double errorRate,
      int window,
      int minCalls,
      Duration coolDown,
      int probes) {

    /** The largest window and the most probes; the counts share one {@code long}. */
    public static final int MAX_COUNT = 1_000_000;

    public Settings {
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(coolDown, "coolDown");
      requireThat(
          !latency.isNegative() && !latency.isZero(),
          "latency must be positive, but was " + latency);
      requireShare("slowRate", slowRate);
      requireShare("errorRate", errorRate);
      requireThat(
          window >= 1 && window <= MAX_COUNT,
          "window must be from 1 to " + MAX_COUNT + ", but was " + window);
      requireThat(
          minCalls >= 1 && minCalls <= window,
          "minCalls must be from 1 to the window (" + window + "), but was " + minCalls);
      requireThat(!coolDown.isNegative(), "coolDown must not be negative, but was " + coolDown);
      requireThat(
          probes >= 1 && probes <= MAX_COUNT,
          "probes must be from 1 to " + MAX_COUNT + ", but was " + probes);
    }

    private static void requireShare(String name, double share) {
      requireThat(
          share > 0 && share <= 1,
          name + " must be a share above 0 and at most 1, but was " + share);
    }

    private static void requireThat(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /** The states of the automatic fallback. */
  public enum State {
    /** Unified calls are admitted and judged. */
    ON,
    /** Every call takes the legacy path until the cool-down has passed. */
    TRIPPED,
    /** A few unified calls decide between ON and TRIPPED. */
    PROBING
  }

  /** Hears every transition once, on the thread that made it. */
  @FunctionalInterface
  public interface Listener {

    /**
     * Called once per transition, outside any lock, on the thread that caused it: often an
     * application thread in {@link #record} or {@link #tryAcquireUnified()}, so it must be quick
     * and must not throw. {@code from} equals {@code to} when {@link #trip} renews the cool-down of
     * a tripped breaker or {@link #reset()} clears the window of a breaker that is ON.
     */
    void onTransition(State from, State to, String reason);
  }

  /**
   * What the breaker is judging now: while ON, the outcomes in the window; while PROBING, the probe
   * outcomes so far; while TRIPPED, nothing (the reason holds the figures that tripped it).
   */
  public record Snapshot(State state, String reason, int calls, int failed, int slow) {}

  private final Settings settings;
  private final Clock clock;
  private final Listener listener;
  private final long latencyNanos;
  private final long coolDownNanos;
  private final long probeDeadlineNanos;
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(Breaker.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Swapped by compare-and-set through {@link #PHASE}: a field rather than an {@code
   * AtomicReference} saves the decision one dependent load.
   */
  private volatile Phase phase;

  public Breaker(Settings settings, Clock clock, Listener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.latencyNanos = Durations.saturatedNanos(settings.latency());
    this.coolDownNanos = Durations.saturatedNanos(settings.coolDown());
    this.probeDeadlineNanos = Math.max(coolDownNanos, saturatedTwice(latencyNanos));
    this.phase = Phase.on("started", clock.nanoTime(), settings.window());
  }

  /**
   * May this call take the unified path? While ON, yes, without reading the clock. While TRIPPED,
   * no until the cool-down has passed; the first call after it starts probing and is the first
   * probe. While PROBING, yes for at most {@code probes} calls.
   *
   * <p>A probe that never records its outcome cannot keep the switch in PROBING: once a probe has
   * gone without an outcome for {@code max(coolDown, 2 × latency)} after the last probe was
   * admitted, the missing probes count as lost and the breaker trips again. The wait is counted
   * from the last admission rather than from the start of probing so that a switch with little
   * traffic, whose probes arrive slowly but do complete, is not tripped for it.
   */
  public boolean tryAcquireUnified() {
    Phase current = phase;
    if (current.state == State.ON) {
      return true;
    }

    long now = clock.nanoTime();
    if (current.state == State.TRIPPED) {
      if (now - current.sinceNanos < coolDownNanos) {
        return false;
      }
      current = startProbing(current, now);
      if (current.state != State.PROBING) {
        return current.state == State.ON;
      }
    }
    return tryProbe(current, now);
  }

  /**
   * Records the outcome of a unified call that {@link #tryAcquireUnified()} admitted.
   *
   * @param durationNanos how long the call took; longer than {@code latency} counts as slow
   * @param failed whether it threw or broke another rule (such as running too many queries)
   */
  public void record(long durationNanos, boolean failed) {
    Phase current = phase;
    if (current.state == State.TRIPPED) {
      return;
    }

    int code = Tally.code(failed, durationNanos > latencyNanos);
    if (current.state == State.ON) {
      long tally = current.window.add(code);
      if (Tally.calls(tally) >= settings.minCalls()) {
        judgeWindow(current, tally);
      }
    } else {
      long tally = current.probeTally.addAndGet(Tally.ofCode(code));
      if (Tally.calls(tally) == settings.probes()) {
        judgeProbes(current, tally);
      }
    }
  }

  /**
   * Trips the breaker from any state, for a cause outside its own thresholds (the heap guard, an
   * operator). Tripping a tripped breaker restarts its cool-down and replaces its reason.
   */
  public void trip(String reason) {
    Objects.requireNonNull(reason, "reason");
    Phase next = Phase.tripped(reason + "; legacy path for " + coolDownText(), clock.nanoTime());
    while (!transition(phase, next)) {
      // Another transition won; trip whatever state it left.
    }
  }

  /** Back to ON with an empty window, from any state. */
  public void reset() {
    Phase next = Phase.on("reset", clock.nanoTime(), settings.window());
    while (!transition(phase, next)) {
      // Another transition won; reset whatever state it left.
    }
  }

  public State state() {
    return phase.state;
  }

  /** Why the breaker is in its state, with the figures that decided it. */
  public String reason() {
    return phase.reason;
  }

  /** The {@link Clock#nanoTime()} at which the current state began. */
  public long stateSinceNanos() {
    return phase.sinceNanos;
  }

  public Settings settings() {
    return settings;
  }

  public Snapshot snapshot() {
    Phase current = phase;
    long tally =
        switch (current.state) {
          case ON -> current.window.tally.get();
          case PROBING -> current.probeTally.get();
          case TRIPPED -> 0L;
        };
    return new Snapshot(
        current.state, current.reason, Tally.calls(tally), Tally.failed(tally), Tally.slow(tally));
  }

  @Override
  public String toString() {
    Phase current = phase;
    return "Breaker[" + current.state + ": " + current.reason + "]";
  }

  private Phase startProbing(Phase tripped, long now) {
    String reason =
        "cool-down of "
            + coolDownText()
            + " over; "
            + settings.probes()
            + (settings.probes() == 1 ? " probe decides" : " probes decide");
    Phase probing = Phase.probing(reason, now);
    return transition(tripped, probing) ? probing : phase;
  }

  private boolean tryProbe(Phase probing, long now) {
    int admitted = probing.permits.get();
    if (admitted > Tally.calls(probing.probeTally.get())
        && now - probing.lastPermitNanos > probeDeadlineNanos) {
      probesLost(probing, now);
      return false;
    }

    while (admitted < settings.probes()) {
      // Written before the permit is taken, so a concurrent check never sees a fresh permit with
      // a stale admission time and counts it as lost.
      probing.lastPermitNanos = now;
      if (probing.permits.compareAndSet(admitted, admitted + 1)) {
        return true;
      }
      admitted = probing.permits.get();
    }
    return false;
  }

  private void probesLost(Phase probing, long now) {
    int lost = Math.min(probing.permits.get(), settings.probes());
    lost -= Tally.calls(probing.probeTally.get());
    String reason =
        lost
            + " of "
            + settings.probes()
            + " probes lost: no outcome within "
            + Durations.format(Duration.ofNanos(probeDeadlineNanos))
            + ", counted as failed; legacy path for "
            + coolDownText();
    transition(probing, Phase.tripped(reason, now));
  }

  private void judgeWindow(Phase on, long tally) {
    int calls = Tally.calls(tally);
    int failed = Tally.failed(tally);
    int slow = Tally.slow(tally);
    String verdict;
    if (share(failed, calls) >= settings.errorRate()) {
      verdict = figures(failed, calls, "unified calls failed", settings.errorRate(), "≥");
    } else if (share(slow, calls) >= settings.slowRate()) {
      verdict = figures(slow, calls, "unified calls " + slower(), settings.slowRate(), "≥");
    } else {
      return;
    }
    transition(
        on, Phase.tripped(verdict + "; legacy path for " + coolDownText(), clock.nanoTime()));
  }

  private void judgeProbes(Phase probing, long tally) {
    int probes = Tally.calls(tally);
    int failed = Tally.failed(tally);
    int slow = Tally.slow(tally);
    String verdict;
    if (share(failed, probes) >= settings.errorRate()) {
      verdict = figures(failed, probes, "probes failed", settings.errorRate(), "≥");
    } else if (share(slow, probes) >= settings.slowRate()) {
      verdict = figures(slow, probes, "probes " + slower(), settings.slowRate(), "≥");
    } else {
      transition(
          probing, Phase.on(passed(probes, failed, slow), clock.nanoTime(), settings.window()));
      return;
    }
    transition(
        probing, Phase.tripped(verdict + "; legacy path for " + coolDownText(), clock.nanoTime()));
  }

  private String passed(int probes, int failed, int slow) {
    if (failed == 0 && slow == 0) {
      return probes + " of " + probes + " probes passed";
    }
    List<String> withinThresholds = new ArrayList<>();
    if (failed > 0) {
      withinThresholds.add(
          failed + " failed " + comparison(failed, probes, settings.errorRate(), "<"));
    }
    if (slow > 0) {
      withinThresholds.add(
          slow + " " + slower() + " " + comparison(slow, probes, settings.slowRate(), "<"));
    }
    return probes + " probes passed: " + String.join(", ", withinThresholds);
  }

  private boolean transition(Phase from, Phase to) {
    if (!PHASE.compareAndSet(this, from, to)) {
      return false;
    }
    listener.onTransition(from.state, to.state, to.reason);
    return true;
  }

  private String slower() {
    return "slower than " + Durations.format(settings.latency());
  }

  private String coolDownText() {
    return Durations.format(settings.coolDown());
  }

  /** {@code 3 of 20 unified calls failed (15.0 % ≥ 1.0 %)}. */
  private static String figures(int count, int of, String what, double threshold, String op) {
    return count + " of " + of + " " + what + " " + comparison(count, of, threshold, op);
  }

  private static String comparison(int count, int of, double threshold, String op) {
    return "(" + percent(share(count, of)) + " " + op + " " + percent(threshold) + ")";
  }

  private static double share(int count, int of) {
    // Dividing (rather than multiplying the threshold) makes "exactly at the threshold" exact:
    // 7 of 100 gives the double nearest 0.07, which is what "7%" was parsed to.
    return of <= 0 ? 0 : (double) count / of;
  }

  /** One decimal ({@code 15.0 %}), or two significant digits for a small share ({@code 0.05 %}). */
  static String percent(double share) {
    double percent = share * 100;
    String oneDecimal = String.format(Locale.ROOT, "%.1f", percent);
    if (percent != 0 && Math.abs(percent) < 1 && Double.parseDouble(oneDecimal) != percent) {
      BigDecimal exact = new BigDecimal(percent).round(new MathContext(2));
      return exact.stripTrailingZeros().toPlainString() + " %";
    }
    return oneDecimal + " %";
  }

  private static long saturatedTwice(long nanos) {
    return nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * nanos;
  }

  /** One state with what it needs; replaced whole on every transition. */
  private static final class Phase {

    final State state;
    final String reason;
    final long sinceNanos;

    /** ON only. */
    final Window window;

    /** PROBING only: admitted probes and their outcomes. */
    final AtomicInteger permits;

    final AtomicLong probeTally;
    volatile long lastPermitNanos;

    private Phase(State state, String reason, long sinceNanos, Window window, boolean probing) {
      this.state = state;
      this.reason = reason;
      this.sinceNanos = sinceNanos;
      this.window = window;
      this.permits = probing ? new AtomicInteger() : null;
      this.probeTally = probing ? new AtomicLong() : null;
      this.lastPermitNanos = sinceNanos;
    }

    static Phase on(String reason, long now, int windowSize) {
      return new Phase(State.ON, reason, now, new Window(windowSize), false);
    }

    static Phase tripped(String reason, long now) {
      return new Phase(State.TRIPPED, reason, now, null, false);
    }

    static Phase probing(String reason, long now) {
      return new Phase(State.PROBING, reason, now, null, true);
    }
  }

  /** The ring of the latest outcome codes and their running tally. */
  private static final class Window {

    final AtomicIntegerArray slots;
    final AtomicInteger cursor = new AtomicInteger();
    final AtomicLong tally = new AtomicLong();

    Window(int size) {
      slots = new AtomicIntegerArray(size);
    }

    /**
     * Puts an outcome in place of the oldest and returns the tally that includes it. Most outcomes
     * replace one of their own kind (a fast success where a fast success was), which changes
     * neither the slot nor the counts: then the slot is only read, which spares the two atomic
     * writes that make contended recording slow. If another thread swaps the slot meanwhile, its
     * outcome is the one the slot keeps, and the counts follow the slot either way. The cursor is
     * an int whose sign bit is dropped: when it wraps, the ring skips ahead once, which loses no
     * outcome's count.
     */
    long add(int code) {
      int slot = (cursor.getAndIncrement() & Integer.MAX_VALUE) % slots.length();
      if (slots.get(slot) == code) {
        return tally.get();
      }
      int replaced = slots.getAndSet(slot, code);
      return tally.addAndGet(Tally.ofCode(code) - Tally.ofCode(replaced));
    }
  }
}
