package io.pathswitch.jdbc;

/** A statement shape made short enough for one log line. Stateless. */
public final class StatementText {

  /** Shapes up to this long are shown whole; longer ones lose their select list first. */
  static final int WHOLE = 80;

  /** The most characters shown of a shape. */
  static final int MOST = 200;

  private StatementText() {}

  /**
   * {@code shape} for a log line: whole when short; otherwise a leading {@code SELECT}'s column
   * list becomes {@code …}, and what is still too long is cut with {@code …}.
   */
  public static String brief(String shape) {
    if (shape.length() <= WHOLE) {
      return shape;
    }
    String text = withoutSelectList(shape);
    return text.length() <= MOST ? text : text.substring(0, MOST - 1) + "…";
  }

  private static String withoutSelectList(String shape) {
    if (!shape.regionMatches(true, 0, "select ", 0, 7)) {
      return shape;
    }
    int depth = 0;
    for (int i = 7; i + 6 <= shape.length(); i++) {
      char c = shape.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (depth == 0 && c == ' ' && shape.regionMatches(true, i, " from ", 0, 6)) {
        return shape.substring(0, 7) + "…" + shape.substring(i);
      }
    }
    return shape;
  }
}
