package io.pathswitch.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, time, errors and JDBC statements of one path of one switch. Recording is lock-free and
 * allocation-free; readers see figures that are exact once the recording threads are done.
 */
public final class PathStats {

  private static final VarHandle LAST_CALL;

  static {
    try {
      LAST_CALL =
          MethodHandles.lookup().findVarHandle(PathStats.class, "lastCallNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongAdder calls = new LongAdder();
  private final LongAdder nanos = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder queries = new LongAdder();
  private volatile long lastCallNanos;
  private volatile boolean called;

  /** Records one call; {@code statements} is -1 when JDBC statements were not counted. */
  void record(long durationNanos, boolean failed, long statements, long endNanos) {
    calls.increment();
    nanos.add(durationNanos);
    if (failed) {
      errors.increment();
    }
    if (statements >= 0) {
      queries.add(statements);
    }
    // A release store, not a volatile one: on x86 a volatile store is a locked instruction on
    // every call, and a reader of "the last call's end" needs no order beyond the release.
    LAST_CALL.setRelease(this, endNanos);
    if (!called) {
      called = true;
    }
  }

  public long calls() {
    return calls.sum();
  }

  public long totalNanos() {
    return nanos.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long statements() {
    return queries.sum();
  }

  /** The {@code System.nanoTime()} of the last call's end, or 0 when there was none. */
  public long lastCallNanos() {
    return called ? lastCallNanos : 0;
  }

  public boolean called() {
    return called;
  }

  void reset() {
    calls.reset();
    nanos.reset();
    errors.reset();
    queries.reset();
    called = false;
  }
}
