package io.pathswitch.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * JDBC statements per call over the last {@value #SIZE} counted calls. Lock-free and
 * allocation-free; a reader racing a recording thread may see that call's slot before or after it
 * is written, never a torn value.
 */
final class StatementWindow {

  static final int SIZE = 64;

  private final AtomicLongArray recent = new AtomicLongArray(SIZE);
  private final AtomicLong recorded = new AtomicLong();

  void record(long statements) {
    int slot = (int) (recorded.getAndIncrement() & (SIZE - 1));
    recent.lazySet(slot, statements);
  }

  /** The mean over the last {@value #SIZE} calls recorded; NaN when none was. */
  double perCall() {
    long counted = Math.min(recorded.get(), SIZE);
    if (counted == 0) {
      return Double.NaN;
    }
    long sum = 0;
    for (int i = 0; i < counted; i++) {
      sum += recent.get(i);
    }
    return (double) sum / counted;
  }

  void reset() {
    recorded.set(0);
    for (int i = 0; i < SIZE; i++) {
      recent.set(i, 0);
    }
  }
}
