package io.pathswitch.thresholds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void decodesEveryCombinationOfCountsWithinRangeIncludingBrieflyNegativeOnes() {
    long seed = 20260105L;
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      int calls = random.nextInt(2 * Tally.MAX_COUNT + 1) - Tally.MAX_COUNT;
      int failed = random.nextInt(2 * Tally.MAX_COUNT + 1) - Tally.MAX_COUNT;
      int slow = random.nextInt(2 * Tally.MAX_COUNT + 1) - Tally.MAX_COUNT;

      long tally = Tally.of(calls, failed, slow);

      assertThat(new int[] {Tally.calls(tally), Tally.failed(tally), Tally.slow(tally)})
          .as("seed %d, case %d", seed, i)
          .containsExactly(calls, failed, slow);
    }
  }

  @Test
  void replacingAnOutcomeMovesEachCountByItsDifference() {
    long tally = Tally.of(10, 3, 1);
    int slowFailure = Tally.code(true, true);
    int success = Tally.code(false, false);

    long after = tally + Tally.ofCode(success) - Tally.ofCode(slowFailure);

    assertThat(after).isEqualTo(Tally.of(10, 2, 0));
    assertThat(Tally.ofCode(0)).isZero();
  }
}
