package io.pathswitch.bootstrap;

/**
 * Counts the JDBC statements each thread runs, so that a switched call can tell how many ran inside
 * it: {@link #mark()} before, {@link #since(long)} after. Lives on the bootstrap class path because
 * the counting code is inlined into JDBC drivers. Thread-safe: each thread counts alone.
 */
public final class Statements {

  private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

  /** Whether anything counts statements; while false, {@link #since} reports -1. */
  private static volatile boolean counting;

  private Statements() {}

  public static void counting(boolean value) {
    counting = value;
  }

  public static boolean counting() {
    return counting;
  }

  /** Called once per outermost statement execution. */
  public static void executed() {
    COUNT.get()[0]++;
  }

  public static long mark() {
    return counting ? COUNT.get()[0] : 0;
  }

  /** Statements this thread ran since {@code mark}, or -1 when statements are not counted. */
  public static long since(long mark) {
    return counting ? COUNT.get()[0] - mark : -1;
  }
}
