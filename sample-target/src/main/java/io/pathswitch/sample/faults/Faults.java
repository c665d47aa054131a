package io.pathswitch.sample.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults injected on purpose into the unified dashboard engine, to show pathswitch falling back to
 * the legacy path: an error on a share of calls, a delay on every call, and a wrong total of sales
 * for a share of representatives. The legacy path never looks at them.
 *
 * <p>Thread-safe: the settings are one immutable value behind a volatile field, so a call sees
 * either the old settings or the new ones, never a mix.
 */
public final class Faults {

  /** No fault at all: the default, and what {@link #clear()} restores. */
  public static final Settings NONE = new Settings(0, Duration.ZERO, 0);

  private static volatile Settings settings = NONE;

  /** Unified calls since the settings last changed: failing calls are spread evenly over them. */
  private static final AtomicLong calls = new AtomicLong();

  private Faults() {}

  /** The settings in force. */
  public static Settings settings() {
    return settings;
  }

  public static void set(Settings newSettings) {
    settings = Objects.requireNonNull(newSettings, "settings");
    calls.set(0);
  }

  public static void clear() {
    set(NONE);
  }

  /**
   * Called by the unified engine at the start of each call: sleeps for the delay, then throws on a
   * share {@code error-rate} of calls. The failing calls are spread evenly rather than drawn at
   * random (0.2 fails every fifth call), so a demonstration, and a test, sees the same every time.
   *
   * @throws InjectedFaultException when this call is one of the failing share
   */
  public static void onUnifiedCall() {
    Settings current = settings;
    pause(current.delay());
    if (current.errorRate() > 0 && failsNext(current.errorRate())) {
      throw new InjectedFaultException(
          "injected fault: the unified dashboard engine failed on purpose (error-rate="
              + current.errorRate()
              + "; clear it with GET /admin/faults?error-rate=0)");
    }
  }

  private static boolean failsNext(double errorRate) {
    long n = calls.incrementAndGet();
    return Math.floor(n * errorRate) > Math.floor((n - 1) * errorRate);
  }

  /**
   * The total of sales the unified engine reports: one unit more than the true total for a share
   * {@code wrong-rate} of representatives. Which representatives are wrong depends on the id only,
   * so a wrong one stays wrong from call to call, as a real bug would.
   */
  public static BigDecimal totalSales(long representativeId, BigDecimal trueTotal) {
    double wrongRate = settings.wrongRate();
    if (wrongRate > 0 && share(representativeId) < wrongRate) {
      return trueTotal.add(BigDecimal.ONE);
    }
    return trueTotal;
  }

  /** Spreads ids evenly over [0, 1) with the SplitMix64 finaliser. */
  private static double share(long id) {
    long z = id + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      // Someone wants this thread to stop: give up the rest of the delay and keep the flag set.
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What goes wrong, and how often. Immutable.
   *
   * @param errorRate share of unified calls that throw, 0 to 1
   * @param delay time every unified call sleeps first, zero or more
   * @param wrongRate share of representatives whose total of sales is wrong, 0 to 1
   */
  public record Settings(double errorRate, Duration delay, double wrongRate) {

    public Settings {
      requireShare("error-rate", errorRate);
      requireShare("wrong-rate", wrongRate);
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException(
            "delay was '" + delay.toMillis() + "ms' but it must be 0 or more");
      }
    }

    /**
     * A copy with one setting changed from its text, as given on {@code /admin/faults}: {@code
     * error-rate} and {@code wrong-rate} take a number from 0 to 1, {@code delay} takes {@code
     * 800ms}, {@code 2s} or {@code 0}.
     *
     * @throws IllegalArgumentException naming the setting, the value and what was expected
     */
    public Settings with(String name, String value) {
      return switch (name) {
        case "error-rate" -> new Settings(parseShare(name, value), delay, wrongRate);
        case "delay" -> new Settings(errorRate, parseDelay(value), wrongRate);
        case "wrong-rate" -> new Settings(errorRate, delay, parseShare(name, value));
        default ->
            throw new IllegalArgumentException(
                "unknown fault '" + name + "': expected error-rate, delay or wrong-rate");
      };
    }

    /** True when no fault is set. */
    public boolean none() {
      return equals(NONE);
    }

    private static double parseShare(String name, String value) {
      double share;
      try {
        share = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        share = Double.NaN;
      }
      requireShare(name, share, value);
      return share;
    }

    private static void requireShare(String name, double share) {
      requireShare(name, share, Double.toString(share));
    }

    private static void requireShare(String name, double share, String text) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException(
            name + " was '" + text + "' but it must be a number from 0 to 1, such as 0.05");
      }
    }
  }

  /**
   * Reads a delay such as {@code 800ms}, {@code 2s} or {@code 0}.
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  public static Duration parseDelay(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.equals("0")) {
        return Duration.ZERO;
      }
      if (value.endsWith("ms")) {
        return nonNegative(
            Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))), text);
      }
      if (value.endsWith("s")) {
        return nonNegative(
            Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1))), text);
      }
    } catch (NumberFormatException e) {
      // reported below with the expected form
    }
    throw new IllegalArgumentException(
        "delay was '"
            + text
            + "' but it must be a whole number of ms or s, such as 800ms, 2s or 0");
  }

  private static Duration nonNegative(Duration delay, String text) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException(
          "delay was '" + text + "' but it must be 0 or more, such as 800ms, 2s or 0");
    }
    return delay;
  }

  /** Formats a delay the way {@link #parseDelay(String)} reads it: {@code 800ms}, {@code 0ms}. */
  public static String formatDelay(Duration delay) {
    return delay.toMillis() + "ms";
  }
}
