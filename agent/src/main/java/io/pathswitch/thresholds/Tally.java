package io.pathswitch.thresholds;

/**
 * Three counts (calls, failed, slow) packed into one {@code long}, so that one atomic add updates
 * all three and its result is a consistent reading of them.
 *
 * <p>Each count is a signed 21-bit field, so packing is linear: {@code of(a) - of(b)} packs the
 * differences, and a field that is briefly negative while concurrent updates land (an outcome
 * removed before the add that put it in) still decodes. Counts must stay within ±1,048,575.
 */
final class Tally {

  static final int MAX_COUNT = (1 << 20) - 1;

  private static final int BITS = 21;
  private static final int DROP = Long.SIZE - BITS;

  private Tally() {}

  static long of(int calls, int failed, int slow) {
    return ((long) calls << (2 * BITS)) + ((long) failed << BITS) + slow;
  }

  /** The tally of one outcome code from {@link #code}; 0 for an empty slot. */
  static long ofCode(int code) {
    return of(code & 1, (code >>> 1) & 1, (code >>> 2) & 1);
  }

  /** One outcome as a small non-zero integer, so that 0 can mean "empty". */
  static int code(boolean failed, boolean slow) {
    return 1 | (failed ? 2 : 0) | (slow ? 4 : 0);
  }

  static int slow(long tally) {
    return (int) (tally << DROP >> DROP);
  }

  static int failed(long tally) {
    long upper = (tally - slow(tally)) >> BITS;
    return (int) (upper << DROP >> DROP);
  }

  static int calls(long tally) {
    long upper = (tally - slow(tally)) >> BITS;
    return (int) ((upper - (upper << DROP >> DROP)) >> BITS);
  }
}
