package io.pathswitch.bootstrap;

/**
 * The JDBC statements of one switched call: how many ran, and the statement shape that ran most
 * often, which is how an N+1 pattern shows. {@link Statements#end(long)} hands it back when the
 * call ends.
 *
 * <p>Not thread-safe: it belongs to one thread, which reuses it for its next call at the same
 * nesting level, so read it at once, on that thread. At most {@link #SHAPES} distinct shapes are
 * told apart per call; runs of further shapes are counted as statements but not by shape.
 */
public final class CallStatements {

  /** The most distinct statement shapes told apart in one call. */
  public static final int SHAPES = 32;

  private final long[] hashes = new long[SHAPES];
  private final int[] counts = new int[SHAPES];
  private final String[] samples = new String[SHAPES];
  private final String[] unknownSqlOf = new String[SHAPES];
  private int size;

  private long statements;
  private int repeats;
  private String repeatedSample;
  private String repeatedUnknownSqlOf;

  CallStatements() {}

  /** Statements run in the call, its nested switched calls included. */
  public long statements() {
    return statements;
  }

  /** How often the call's most frequent statement shape ran; 0 when it ran none. */
  public int repeats() {
    return repeats;
  }

  /**
   * The most frequent shape as text, such as {@code SELECT … WHERE id = ?}; or, when the statement
   * was prepared before the call so that its SQL was not seen, a description of the statement.
   * Allocates: call it only to report.
   */
  public String repeatedShape() {
    if (repeats == 0) {
      return "";
    }
    if (repeatedSample == null) {
      return "a statement of " + repeatedUnknownSqlOf + " prepared before the call (SQL not seen)";
    }
    return StatementShapes.of(repeatedSample);
  }

  void open() {
    statements = 0;
    repeats = 0;
    repeatedSample = null;
    repeatedUnknownSqlOf = null;
  }

  /** Counts one run of a shape; {@code sample} is null when the SQL is unknown. */
  void add(long hash, String sample, String unknownClass) {
    for (int i = 0; i < size; i++) {
      if (hashes[i] == hash) {
        counts[i]++;
        return;
      }
    }
    if (size < SHAPES) {
      hashes[size] = hash;
      counts[size] = 1;
      samples[size] = sample;
      unknownSqlOf[size] = unknownClass;
      size++;
    }
  }

  /** Ends the call: keeps the most frequent shape and forgets the rest. */
  void close(long statementsRun) {
    statements = statementsRun;
    int top = -1;
    for (int i = 0; i < size; i++) {
      if (top < 0 || counts[i] > counts[top]) {
        top = i;
      }
    }
    if (top >= 0) {
      repeats = counts[top];
      repeatedSample = samples[top];
      repeatedUnknownSqlOf = unknownSqlOf[top];
    }
    for (int i = 0; i < size; i++) {
      samples[i] = null;
      unknownSqlOf[i] = null;
    }
    size = 0;
  }
}
