package io.pathswitch.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One thing wrong in a configuration: where, which key, its value and what was expected instead.
 * Immutable.
 *
 * <p>Serializable so that a {@link ConfigException} survives a remote JMX call.
 *
 * @param source the config file as given, or a description of where the values came from
 * @param key the full key, such as {@code switch.dashboard.percentage}; empty for a line with no
 *     key ({@code =5}), and, with a {@code null} value, when the problem is with the source as a
 *     whole (a file that cannot be read)
 * @param value the value as written, stripped of surrounding whitespace; {@code null} when the key
 *     is missing
 * @param expected what is wrong and what would be accepted, such as {@code expected a percentage
 *     from 0 to 100} or {@code unknown key; did you mean switch.dashboard.percentage?}
 */
public record ConfigProblem(String source, String key, String value, String expected)
    implements Serializable {

  /** Checks that everything but the value is given. */
  public ConfigProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
  }

  /**
   * One line for an operator: {@code pathswitch.properties: switch.dashboard.percentage = '150':
   * expected a percentage from 0 to 100}, or {@code ...: switch.dashboard.legacy is missing: ...}
   * for a missing key. Control characters are escaped, so the line stays one line.
   */
  @Override
  public String toString() {
    // what was expected can quote part of the value, so it is escaped too
    String shownExpected = escape(expected);
    if (key.isEmpty() && value == null) {
      return source + ": " + shownExpected;
    }
    String shownKey = key.isEmpty() ? "(no key)" : escape(key);
    if (value == null) {
      return source + ": " + shownKey + " is missing: " + shownExpected;
    }
    return source + ": " + shownKey + " = '" + escape(value) + "': " + shownExpected;
  }

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                  if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                    escaped.append(String.format("\\u%04x", c));
                  } else {
                    escaped.appendCodePoint(c);
                  }
                }
              }
            });
    return escaped.toString();
  }
}
