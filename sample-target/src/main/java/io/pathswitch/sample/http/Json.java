package io.pathswitch.sample.http;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Builds a JSON text by hand, which is all this application needs. Not thread-safe: one instance
 * builds one document.
 *
 * <p>The caller keeps the structure right; this class gets each value's spelling right, commas
 * included.
 */
final class Json {

  private final StringBuilder text = new StringBuilder();
  private boolean needsComma;

  Json beginObject() {
    separate();
    text.append('{');
    needsComma = false;
    return this;
  }

  Json endObject() {
    text.append('}');
    needsComma = true;
    return this;
  }

  Json beginArray() {
    separate();
    text.append('[');
    needsComma = false;
    return this;
  }

  Json endArray() {
    text.append(']');
    needsComma = true;
    return this;
  }

  /** A member name; the value follows. */
  Json name(String name) {
    separate();
    quote(name);
    text.append(':');
    needsComma = false;
    return this;
  }

  Json value(String value) {
    separate();
    if (value == null) {
      text.append("null");
    } else {
      quote(value);
    }
    needsComma = true;
    return this;
  }

  Json value(long value) {
    separate();
    text.append(value);
    needsComma = true;
    return this;
  }

  Json value(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("JSON has no number for " + value);
    }
    separate();
    text.append(value);
    needsComma = true;
    return this;
  }

  /** An amount as a decimal string, such as {@code "1234.50"}, so no digit is lost to a float. */
  Json value(BigDecimal amount) {
    return value(amount == null ? null : amount.toPlainString());
  }

  /** A time as an ISO-8601 string in UTC, such as {@code "2024-03-01T10:15:00Z"}, or null. */
  Json value(Instant time) {
    return value(time == null ? null : time.toString());
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private void separate() {
    if (needsComma) {
      text.append(',');
    }
  }

  /**
   * Writes a string literal, escaping what RFC 8259 requires and the line separators JS chokes on.
   */
  private void quote(String value) {
    text.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        case '\b' -> text.append("\\b");
        case '\f' -> text.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    text.append('"');
  }
}
