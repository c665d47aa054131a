package io.pathswitch.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the values of configuration keys, shared by the config file, JMX and the CLI so that
 * a value means the same wherever it is written. Stateless and thread-safe.
 *
 * <p>Every parser strips surrounding whitespace first. On a bad value it throws {@link
 * IllegalArgumentException} whose message starts with "expected" and says what would have been
 * accepted. The message does not repeat the value: callers put the value, and where it came from,
 * in front of it.
 */
public final class Values {

  static final String PERCENTAGE = "expected a percentage from 0 to 100";
  static final String SHARE = "expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to 1";
  static final String DURATION = "expected a duration such as 500ms, 2s, 5m, 1h, 1d or 1h30m";
  static final String POSITIVE_DURATION = "expected a duration above 0, such as 500ms, 2s or 1h30m";
  static final String MODE = "expected divert, shadow or live";
  static final String BOOL = "expected true or false";
  static final String BYTES = "expected a size in bytes above 0, such as 512m, 2g, 1024k or 123456";
  static final String ROLLOUT_EXAMPLE = "5% for 1h, 25% for 2h, 100%";
  static final String ARGUMENT = "expected argN, the position N from 0 to 254 of the argument";

  private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%?)");
  private static final Pattern DURATION_UNITS =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern STEP =
      Pattern.compile("(.*?)\\s+for\\b\\s*(.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ARGUMENT_INDEX = Pattern.compile("arg(\\d{1,3})");

  private Values() {}

  /**
   * A percentage of calls: {@code 25}, {@code 25%}, {@code 12.5}, from {@code 0} to {@code 100}.
   *
   * @return the percentage, from 0 to 100
   */
  public static double percentage(String text) {
    Matcher matcher = NUMBER.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(PERCENTAGE);
    }
    double percentage = Double.parseDouble(matcher.group(1));
    if (percentage > 100) {
      throw new IllegalArgumentException(PERCENTAGE);
    }
    return percentage;
  }

  /**
   * A share of calls: a percentage with its sign ({@code 1%}, {@code 0.1%}, {@code 50%}) or a
   * fraction ({@code 0.05}). A number without {@code %} is always a fraction, so {@code 50} is an
   * error rather than a silent 5000 %.
   *
   * @return the share, from 0 to 1
   */
  public static double share(String text) {
    Matcher matcher = NUMBER.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(SHARE);
    }
    double number = Double.parseDouble(matcher.group(1));
    double share = matcher.group(2).isEmpty() ? number : number / 100;
    if (share > 1) {
      throw new IllegalArgumentException(SHARE);
    }
    return share;
  }

  /**
   * A duration: whole numbers with units {@code d}, {@code h}, {@code m}, {@code s} and {@code ms},
   * largest unit first, each at most once ({@code 500ms}, {@code 2s}, {@code 1h30m}), or a bare
   * {@code 0}. Any other bare number is an error, since it could mean seconds or milliseconds.
   */
  public static Duration duration(String text) {
    String stripped = text.strip();
    if (stripped.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = DURATION_UNITS.matcher(stripped);
    if (stripped.isEmpty() || !matcher.matches()) {
      throw new IllegalArgumentException(DURATION);
    }
    try {
      return Duration.ofDays(amount(matcher, 1))
          .plusHours(amount(matcher, 2))
          .plusMinutes(amount(matcher, 3))
          .plusSeconds(amount(matcher, 4))
          .plusMillis(amount(matcher, 5));
    } catch (ArithmeticException | NumberFormatException tooLong) {
      throw new IllegalArgumentException(DURATION);
    }
  }

  /** A run mode, {@code divert}, {@code shadow} or {@code live}, in any case. */
  public static Mode mode(String text) {
    String stripped = text.strip();
    for (Mode mode : Mode.values()) {
      if (mode.name().equalsIgnoreCase(stripped)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(MODE);
  }

  /**
   * {@code true} or {@code false}, in any case. Nothing else ({@code yes}, {@code on}, {@code 1}):
   * a word that is neither is more likely a mistake than a yes.
   */
  public static boolean bool(String text) {
    String stripped = text.strip();
    if (stripped.equalsIgnoreCase("true")) {
      return true;
    }
    if (stripped.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(BOOL);
  }

  /**
   * A rollout schedule: steps separated by commas, each a percentage and, except the last, {@code
   * for} and how long it lasts: {@code 5% for 1h, 25% for 2h, 50% for 4h, 75% for 6h, 100%}.
   * Percentages never go down; the last step has no duration because the rollout stays there.
   *
   * @return the steps in order, at least one
   */
  public static List<RolloutStep> rollout(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("expected rollout steps such as " + ROLLOUT_EXAMPLE);
    }
    String[] parts = text.split(",", -1);
    requireEveryStepWritten(parts);

    List<RolloutStep> steps = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      RolloutStep step = step(parts[i].strip(), i + 1, i == parts.length - 1);
      requireNotBelowPrevious(step, steps);
      steps.add(step);
    }
    return List.copyOf(steps);
  }

  /**
   * A size in bytes for {@code guard.max-heap}, with the JVM's own suffixes ({@code k}, {@code m},
   * {@code g}, {@code t}, powers of 1024, in any case) as in {@code -Xmx}: {@code 512m}, {@code
   * 2g}, {@code 1024k}, or plain bytes {@code 123456}. A share of the heap ({@code 90%}) is not
   * accepted: the limit is absolute so that it means the same after the heap grows.
   *
   * @return the size in bytes, above 0
   */
  public static long bytes(String text) {
    Matcher matcher = SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(BYTES);
    }
    String unit = matcher.group(2).toLowerCase(Locale.ROOT);
    int shift = unit.isEmpty() ? 0 : "kmgt".indexOf(unit) + 1;
    try {
      long bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << (10 * shift));
      if (bytes > 0) {
        return bytes;
      }
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      // reported below, as for any other bad size
    }
    throw new IllegalArgumentException(BYTES);
  }

  /** A duration above zero, for latencies and rollout steps, where zero means nothing useful. */
  static Duration positiveDuration(String text) {
    Duration duration;
    try {
      duration = duration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(POSITIVE_DURATION);
    }
    if (duration.isZero()) {
      throw new IllegalArgumentException(POSITIVE_DURATION);
    }
    return duration;
  }

  /** A whole number from {@code min} to {@code max}; {@code expected} is the message otherwise. */
  static int wholeNumber(String text, int min, int max, String expected) {
    String stripped = text.strip();
    if (stripped.matches("\\d{1,10}")) {
      long number = Long.parseLong(stripped);
      if (number >= min && number <= max) {
        return (int) number;
      }
    }
    throw new IllegalArgumentException(expected);
  }

  /** A whole number of at least {@code min}. */
  static int wholeNumber(String text, int min) {
    return wholeNumber(text, min, Integer.MAX_VALUE, "expected a whole number of at least " + min);
  }

  /** The argument a switch buckets by, {@code argN}, as N: a method has at most 255 parameters. */
  static int argument(String text) {
    Matcher matcher = ARGUMENT_INDEX.matcher(text.strip());
    if (matcher.matches()) {
      int index = Integer.parseInt(matcher.group(1));
      if (index <= 254) {
        return index;
      }
    }
    throw new IllegalArgumentException(ARGUMENT);
  }

  /** A number as a person writes it: {@code 25}, {@code 12.5}, never {@code 25.0}. */
  static String format(double number) {
    return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
  }

  private static void requireEveryStepWritten(String[] parts) {
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isBlank()) {
        throw new IllegalArgumentException(
            "expected rollout steps separated by single commas, such as "
                + ROLLOUT_EXAMPLE
                + "; step "
                + (i + 1)
                + " is empty");
      }
    }
  }

  private static void requireNotBelowPrevious(RolloutStep step, List<RolloutStep> previous) {
    if (previous.isEmpty()) {
      return;
    }
    double last = previous.get(previous.size() - 1).percentage();
    if (step.percentage() < last) {
      throw new IllegalArgumentException(
          String.format(
              "expected percentages that never go down, but step %d (%s%%) is below step %d"
                  + " (%s%%)",
              previous.size() + 1, format(step.percentage()), previous.size(), format(last)));
    }
  }

  private static RolloutStep step(String text, int number, boolean last) {
    Matcher matcher = STEP.matcher(text);
    boolean timed = matcher.matches();
    String percentage = timed ? matcher.group(1) : text;
    double parsed;
    try {
      parsed = percentage(percentage);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PERCENTAGE + " at the start of step " + number + " ('" + text + "')");
    }
    if (!timed && !last) {
      throw new IllegalArgumentException(
          "expected 'for <duration>' in step "
              + number
              + " ('"
              + text
              + "'); every step but the last says how long it lasts");
    }
    if (!timed) {
      return new RolloutStep(parsed, Optional.empty());
    }
    if (last) {
      throw new IllegalArgumentException(
          "expected no duration in the last step ('" + text + "'); the rollout stays there");
    }
    try {
      return new RolloutStep(parsed, Optional.of(positiveDuration(matcher.group(2))));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          POSITIVE_DURATION + ", after 'for' in step " + number + " ('" + text + "')");
    }
  }

  private static long amount(Matcher matcher, int group) {
    String digits = matcher.group(group);
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
