package io.pathswitch.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void reportsEveryValueAtOrAboveItselfAndLessThanOneSixteenthAbove() {
    long seed = 7_341L;
    Random random = new Random(seed);
    for (int i = 0; i < 100_000; i++) {
      long nanos = (random.nextLong() >>> 1) >>> random.nextInt(63);

      long reported = LatencyHistogram.largestIn(LatencyHistogram.index(nanos));

      assertThat(reported).as("seed %d, value %d", seed, nanos).isGreaterThanOrEqualTo(nanos);
      assertThat((double) reported - nanos)
          .as("seed %d, value %d", seed, nanos)
          .isLessThan(nanos / 16.0 + 1);
    }
  }

  @Test
  void keepsSmallValuesExact() {
    for (long nanos = 0; nanos < 32; nanos++) {
      assertThat(LatencyHistogram.largestIn(LatencyHistogram.index(nanos))).isEqualTo(nanos);
    }
  }

  @Test
  void coversTheWholeRangeOfLong() {
    int last = LatencyHistogram.index(Long.MAX_VALUE);

    assertThat(LatencyHistogram.largestIn(last)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void findsThe95thPercentileWithinTheBucketPrecision() {
    long seed = 99L;
    Random random = new Random(seed);
    LatencyHistogram histogram = new LatencyHistogram();
    long[] values = new long[10_001];
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextGaussian() * 1.5 + Math.log(80e6));
      histogram.record(values[i]);
    }
    Arrays.sort(values);
    long exact = values[(int) Math.ceil(0.95 * values.length) - 1];

    long reported = histogram.percentile(0.95);

    assertThat(reported).as("seed %d", seed).isBetween(exact, exact + exact / 16);
  }

  @Test
  void hasNoPercentileBeforeAnyValue() {
    assertThat(new LatencyHistogram().percentile(0.95)).isEqualTo(-1);
  }
}
