package io.pathswitch.core;

import io.pathswitch.bootstrap.Statements;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The parts of what an enabled switch does around each call besides deciding, one by one, so that
 * the cost of the whole instrumented call can be taken apart: reading the clock, opening and
 * closing the call's frame of JDBC statements, recording a call in a path's figures, one counter
 * increment, and the compare-and-set that {@code Switch.unifiedCompleted} makes on every unified
 * call to log the first one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CallRecordBenchmark {

  private final PathStats stats = new PathStats();
  private final AtomicBoolean ran = new AtomicBoolean();
  private final LongAdder count = new LongAdder();
  private long nanos = 1_000;

  @Setup(Level.Trial)
  public void setUp() {
    Statements.counting(true);
    ran.set(true);
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public long statementsFrame() {
    return Statements.count(Statements.end(Statements.begin()));
  }

  @Benchmark
  public void pathStatsRecord() {
    stats.record(nanos, false, 4, nanos);
  }

  /**
   * One exact, thread-safe count: the least that counting a call costs on this JVM. With two {@link
   * #nanoTime} reads it is the floor of any call that is timed and counted, which the peer goal is
   * held against.
   */
  @Benchmark
  public void countOnce() {
    count.increment();
  }

  @Benchmark
  public boolean firstRunCompareAndSet() {
    return ran.compareAndSet(false, true);
  }
}
