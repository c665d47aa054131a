package io.pathswitch.state;

/**
 * The escapes of the state file's values: {@code \\}, {@code \n}, {@code \r}, {@code \t} and {@code
 * \}{@code uXXXX}. Everything else is written as itself, so a reason with {@code ≥} or {@code é}
 * stays readable, while control characters and unpaired surrogates (which UTF-8 cannot carry) are
 * escaped, so any Java string reads back exactly.
 */
final class Escapes {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Escapes() {}

  static void escape(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFEFF') {
            out.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /**
   * Undoes {@link #escape}.
   *
   * @throws IllegalArgumentException saying which escape is wrong and where
   */
  static String unescape(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    StringBuilder text = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        text.append(c);
        continue;
      }
      if (i + 1 == raw.length()) {
        throw new IllegalArgumentException("a lone \\ at the end of its value");
      }
      char escaped = raw.charAt(++i);
      switch (escaped) {
        case '\\' -> text.append('\\');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> {
          text.append(hex(raw, i + 1));
          i += 4;
        }
        default ->
            throw new IllegalArgumentException(
                "an unknown escape \\" + escaped + " at character " + i + " of its value");
      }
    }
    return text.toString();
  }

  private static char hex(String raw, int start) {
    if (start + 4 > raw.length()) {
      throw new IllegalArgumentException(
          "a \\u escape cut short at character " + (start - 1) + " of its value");
    }
    int code = 0;
    for (int i = start; i < start + 4; i++) {
      char c = raw.charAt(i);
      int digit = c < 128 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw new IllegalArgumentException(
            "a \\u escape with a non-hex digit at character " + i + " of its value");
      }
      code = code * 16 + digit;
    }
    return (char) code;
  }
}
