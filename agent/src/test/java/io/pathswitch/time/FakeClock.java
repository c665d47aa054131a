package io.pathswitch.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test says so.
 *
 * <p>Its monotonic reading starts one hour short of {@code Long.MAX_VALUE}, so a test that moves it
 * further also checks that the code under test computes elapsed time by subtraction, as {@link
 * System#nanoTime()} requires. Thread-safe.
 */
public final class FakeClock implements Clock {

  private static final long START_NANOS = Long.MAX_VALUE - Duration.ofHours(1).toNanos();
  private static final long START_MILLIS = Instant.parse("2026-01-05T09:00:00Z").toEpochMilli();

  private final AtomicLong elapsedNanos = new AtomicLong();
  private final AtomicLong nanoTimeReads = new AtomicLong();

  @Override
  public long nanoTime() {
    nanoTimeReads.incrementAndGet();
    return START_NANOS + elapsedNanos.get();
  }

  @Override
  public long currentTimeMillis() {
    return START_MILLIS + elapsedNanos.get() / 1_000_000L;
  }

  /** Moves both readings forward. */
  public FakeClock advance(Duration duration) {
    return advanceNanos(duration.toNanos());
  }

  /** Moves both readings forward by this many nanoseconds. */
  public FakeClock advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException(
          "a clock only moves forward, but was asked to move " + nanos);
    }
    elapsedNanos.addAndGet(nanos);
    return this;
  }

  /** How often {@link #nanoTime()} has been read, for tests of what the hot path must not do. */
  public long nanoTimeReads() {
    return nanoTimeReads.get();
  }
}
