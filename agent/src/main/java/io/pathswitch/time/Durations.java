package io.pathswitch.time;

import java.time.Duration;

/** Durations written the way an operator reads them: {@code 2h 30m}, {@code 60s}, {@code 500ms}. */
public final class Durations {

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
  private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

  private Durations() {}

  /**
   * Writes a duration to the millisecond in hours, minutes, seconds and milliseconds, leaving out
   * the parts that are zero: {@code 1h}, {@code 2h 30m}, {@code 1m}, {@code 1s 500ms}. Durations
   * shorter than a millisecond are written in microseconds or nanoseconds.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.compareTo(Duration.ofMillis(1)) < 0) {
      long nanos = duration.toNanos();
      return nanos % 1000 == 0 && nanos > 0 ? nanos / 1000 + "µs" : nanos + "ns";
    }
    return parts(
        duration.toHours(),
        duration.toMinutesPart(),
        duration.toSecondsPart(),
        duration.toMillisPart());
  }

  /**
   * Writes a duration with the precision that matters for a wait an operator watches: to the minute
   * from ten minutes up ({@code 1h 41m}), to the second from one minute up ({@code 3m 12s}), to the
   * second below that ({@code 12s}), and to the millisecond below a second.
   */
  public static String approximately(Duration duration) {
    if (duration.isNegative()) {
      return "-" + approximately(duration.negated());
    }
    long nanos = saturatedNanos(duration);
    if (nanos >= 10 * NANOS_PER_MINUTE) {
      long minutes = roundedDiv(nanos, NANOS_PER_MINUTE);
      return parts(minutes / 60, minutes % 60, 0, 0);
    }
    if (nanos >= NANOS_PER_SECOND) {
      long seconds = roundedDiv(nanos, NANOS_PER_SECOND);
      return parts(0, seconds / 60, seconds % 60, 0);
    }
    return roundedDiv(nanos, NANOS_PER_MILLI) + "ms";
  }

  /**
   * The duration in nanoseconds, or {@link Long#MAX_VALUE} for a duration too long to count in
   * nanoseconds (about 292 years), which every caller treats as "never".
   */
  public static long saturatedNanos(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    if (duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0) {
      return Long.MAX_VALUE;
    }
    return duration.toNanos();
  }

  private static long roundedDiv(long value, long unit) {
    return value / unit + (value % unit >= unit / 2 ? 1 : 0);
  }

  private static String parts(long hours, long minutes, long seconds, long millis) {
    StringBuilder text = new StringBuilder();
    append(text, hours, "h");
    append(text, minutes, "m");
    append(text, seconds, "s");
    append(text, millis, "ms");
    return text.length() == 0 ? "0s" : text.toString();
  }

  private static void append(StringBuilder text, long value, String unit) {
    if (value != 0) {
      text.append(text.length() == 0 ? "" : " ").append(value).append(unit);
    }
  }
}
