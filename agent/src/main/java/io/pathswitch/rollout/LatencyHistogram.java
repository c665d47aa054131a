package io.pathswitch.rollout;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in fixed log-scale buckets, lock-free and without allocating, so that every call
 * can be recorded and a percentile read at any time.
 *
 * <p>Each power of two is split into 16 buckets, so a bucket's largest value is less than 1/16
 * above its smallest. A percentile is reported as the largest value of the bucket that holds it:
 * never below the true value, and less than 6.25 % above it (values below 32 ns are exact). The
 * buckets cover every non-negative {@code long}; negative durations count as zero.
 *
 * <p>Thread-safe. A percentile read while calls are being recorded counts each bucket as it is at
 * the moment it is read.
 */
final class LatencyHistogram {

  private static final int SUB_BUCKET_BITS = 4;
  private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  private static final int BUCKETS = (Long.SIZE - SUB_BUCKET_BITS) * SUB_BUCKETS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    counts.incrementAndGet(index(Math.max(0, nanos)));
  }

  /**
   * The value at or below which the share {@code quantile} of the recorded values lie, rounded up
   * to its bucket's largest value; -1 when nothing has been recorded.
   */
  long percentile(double quantile) {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return -1;
    }

    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return largestIn(i);
      }
    }
    return largestIn(BUCKETS - 1);
  }

  static int index(long nanos) {
    if (nanos < SUB_BUCKETS) {
      return (int) nanos;
    }
    int exponent = Long.SIZE - 1 - Long.numberOfLeadingZeros(nanos);
    int shift = exponent - SUB_BUCKET_BITS;
    int subBucket = (int) (nanos >>> shift) & (SUB_BUCKETS - 1);
    return (shift + 1) * SUB_BUCKETS + subBucket;
  }

  static long largestIn(int index) {
    if (index < SUB_BUCKETS) {
      return index;
    }
    int shift = index / SUB_BUCKETS - 1;
    long smallest = (long) (SUB_BUCKETS + index % SUB_BUCKETS) << shift;
    return smallest + (1L << shift) - 1;
  }
}
