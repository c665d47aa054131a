package io.pathswitch.benchmarks.thresholds;

import io.pathswitch.thresholds.Breaker;
import io.pathswitch.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The thresholds' share of every unified call: {@link Breaker#tryAcquireUnified()} before it and
 * {@link Breaker#record} after it, on a breaker that stays ON (no outcome is failed or slow), with
 * the agent's default window. {@code recordContended} has both cores record into the same window at
 * once, as two request threads would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class BreakerBenchmark {

  private Breaker breaker;

  /** A fast call's duration, read from a field so the JIT cannot fold the slow check. */
  private long durationNanos = 1_000;

  @Setup(Level.Trial)
  public void setUp() {
    Breaker.Settings settings =
        new Breaker.Settings(Duration.ofSeconds(2), 0.5, 0.01, 100, 20, Duration.ofSeconds(60), 5);
    breaker = new Breaker(settings, Clock.SYSTEM, (from, to, reason) -> {});
  }

  @Benchmark
  public boolean tryAcquireUnified() {
    return breaker.tryAcquireUnified();
  }

  @Benchmark
  public void record() {
    breaker.record(durationNanos, false);
  }

  @Benchmark
  @Threads(2)
  public void recordContended() {
    breaker.record(durationNanos, false);
  }

  @TearDown(Level.Trial)
  public void checkStillOn() {
    if (breaker.state() != Breaker.State.ON) {
      throw new IllegalStateException("the breaker left ON: " + breaker.reason());
    }
  }
}
