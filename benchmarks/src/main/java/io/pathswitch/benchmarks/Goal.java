package io.pathswitch.benchmarks;

/** One of the project's performance goals, the figure held against it, and the verdict. */
public record Goal(String goal, String figure, String verdict) {

  /** A goal met, or missed by {@code missedBy}. */
  public static Goal of(String goal, String figure, boolean met, String missedBy) {
    return new Goal(goal, figure, met ? "met" : "missed: " + missedBy);
  }

  String row() {
    return "| " + goal + " | " + figure + " | " + verdict + " |\n";
  }
}
