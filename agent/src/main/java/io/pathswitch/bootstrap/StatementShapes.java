package io.pathswitch.bootstrap;

/**
 * The shape of a SQL statement: its text with literals replaced by {@code ?}, {@code IN} lists of
 * literals collapsed to {@code IN (?)}, comments dropped and whitespace folded, so that {@code id =
 * 1} and {@code id = 2}, or a prepared {@code id = ?}, are one shape. {@link #hash} reads the text
 * once and allocates nothing, which is what runs per statement; {@link #of} writes the shape out
 * for a log line.
 *
 * <p>The hash ignores the case of keywords and identifiers (not of quoted ones) and whitespace next
 * to punctuation; the written shape keeps the first text's case. Dollar-quoted PostgreSQL strings
 * and multi-row {@code VALUES} lists are not recognised: their text stays part of the shape.
 * Stateless and thread-safe.
 */
public final class StatementShapes {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StatementShapes() {}

  /** The hash of the shape of {@code sql}; equal shapes hash equally. */
  public static long hash(String sql) {
    return walk(sql, null);
  }

  /** The shape of {@code sql} as text, e.g. {@code SELECT * FROM t WHERE id IN (?) AND a = ?}. */
  public static String of(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    walk(sql, out);
    return out.toString();
  }

  private static long walk(String sql, StringBuilder out) {
    long h = FNV_OFFSET;
    int n = sql.length();
    int i = 0;
    boolean spaced = false;
    boolean wordBefore = false;
    boolean emitted = false;
    while (i < n) {
      char c = sql.charAt(i);
      int skipped = skipBlank(sql, i);
      if (skipped > i) {
        spaced = true;
        i = skipped;
        continue;
      }
      boolean word = isWordStart(c) || isDigit(c) || c == '?' || c == '\'' || c == '"';
      word |= c == '`' || (c == '$' && i + 1 < n && isDigit(sql.charAt(i + 1)));
      if (spaced && emitted && out != null) {
        out.append(' ');
      }
      if (spaced && wordBefore && word) {
        h = mix(h, ' ');
      }
      spaced = false;
      emitted = true;
      wordBefore = word;
      if (c == '\'') {
        i = skipString(sql, i);
        h = placeholder(h, out);
      } else if (c == '"' || c == '`') {
        int end = closing(sql, i + 1, c);
        for (int k = i; k < end; k++) {
          h = mix(h, sql.charAt(k));
        }
        append(out, sql, i, end);
        i = end;
      } else if (isDigit(c) || c == '?' || c == '$') {
        i = c == '?' ? i + 1 : skipNumber(sql, c == '$' ? i + 1 : i);
        h = placeholder(h, out);
      } else if (isWordStart(c)) {
        int end = wordEnd(sql, i);
        for (int k = i; k < end; k++) {
          h = mix(h, lower(sql.charAt(k)));
        }
        append(out, sql, i, end);
        int list = end - i == 2 && lower(c) == 'i' && lower(sql.charAt(i + 1)) == 'n' ? 0 : -1;
        if (list == 0) {
          list = literalList(sql, end);
        }
        if (list > 0) {
          h = mix(mix(mix(h, '('), '?'), ')');
          if (out != null) {
            out.append(" (?)");
          }
          wordBefore = false;
          end = list;
        }
        i = end;
      } else {
        h = mix(h, c);
        if (out != null) {
          out.append(c);
        }
        i++;
      }
    }
    return fmix64(h);
  }

  /** Past whitespace and comments from {@code i}; {@code i} itself when there are none. */
  private static int skipBlank(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * The index just past the {@code )} of a parenthesised list of literals and placeholders that
   * starts at or after {@code i}, or -1 when what follows is anything else (a subquery, say).
   */
  private static int literalList(String sql, int i) {
    int n = sql.length();
    i = skipBlank(sql, i);
    if (i >= n || sql.charAt(i) != '(') {
      return -1;
    }
    i++;
    while (true) {
      i = skipBlank(sql, i);
      if (i >= n) {
        return -1;
      }
      char c = sql.charAt(i);
      if (c == '-' || c == '+') {
        i = skipBlank(sql, i + 1);
        if (i >= n || !isDigit(sql.charAt(i))) {
          return -1;
        }
        c = sql.charAt(i);
      }
      if (c == '?') {
        i++;
      } else if (c == '\'') {
        i = skipString(sql, i);
      } else if (isDigit(c)) {
        i = skipNumber(sql, i);
      } else if (c == '$' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
        i = skipNumber(sql, i + 1);
      } else {
        return -1;
      }
      i = skipBlank(sql, i);
      if (i >= n) {
        return -1;
      }
      if (sql.charAt(i) == ')') {
        return i + 1;
      }
      if (sql.charAt(i) != ',') {
        return -1;
      }
      i++;
    }
  }

  /** Past a quoted string that starts at {@code i}, where {@code ''} stands for one quote. */
  private static int skipString(String sql, int i) {
    int n = sql.length();
    i++;
    while (i < n) {
      if (sql.charAt(i) == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  /** Past a number: digits, a fraction, an exponent, or the letters of a hex literal. */
  private static int skipNumber(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (isDigit(c) || c == '.' || isWordStart(c)) {
        i++;
      } else if ((c == '+' || c == '-') && (lower(sql.charAt(i - 1)) == 'e')) {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  private static int closing(String sql, int i, char quote) {
    int end = sql.indexOf(quote, i);
    return end < 0 ? sql.length() : end + 1;
  }

  private static int wordEnd(String sql, int i) {
    int n = sql.length();
    while (i < n && (isWordStart(sql.charAt(i)) || isDigit(sql.charAt(i)))) {
      i++;
    }
    return i;
  }

  private static long placeholder(long h, StringBuilder out) {
    if (out != null) {
      out.append('?');
    }
    return mix(h, '?');
  }

  private static void append(StringBuilder out, String sql, int from, int to) {
    if (out != null) {
      out.append(sql, from, to);
    }
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || (c > 127 && Character.isLetter(c));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  private static long mix(long h, char c) {
    return (h ^ c) * FNV_PRIME;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
