package io.pathswitch.time;

/**
 * The source of time for everything that judges durations, so that tests can move time by hand.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** The JVM's own clocks. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }

        @Override
        public String toString() {
          return "Clock.SYSTEM";
        }
      };

  /**
   * Monotonic time in nanoseconds, with {@link System#nanoTime()}'s contract: only the difference
   * of two readings means anything, and it must be computed by subtraction because the value may
   * overflow.
   */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch; only for what an operator reads. */
  long currentTimeMillis();
}
