package io.pathswitch.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

  @ParameterizedTest
  @ValueSource(
      longs = {0, 1, -1, 9, 10, 42, 1234, 99999, Long.MAX_VALUE, Long.MIN_VALUE, -987654321})
  void hashesALongLikeItsDecimalText(long key) {
    assertThat(Keys.hash(key)).isEqualTo(Keys.hash(Long.toString(key)));
  }

  @Test
  void hashesGeneratedLongsLikeTheirDecimalText() {
    long seed = 20261203L;
    Random random = new Random(seed);

    for (int i = 0; i < 100_000; i++) {
      long key = random.nextLong() >> random.nextInt(64);

      assertThat(Keys.hash(key)).as("seed %d, key %d", seed, key).isEqualTo(Keys.hash("" + key));
    }
  }

  @Test
  void hashesBoxedAndPrimitiveKeysAlike() {
    assertThat(Keys.hash((Object) 42L)).isEqualTo(Keys.hash(42L));
    assertThat(Keys.hash((Object) 42)).isEqualTo(Keys.hash(42));
    assertThat(Keys.hash((Object) "42")).isEqualTo(Keys.hash(42));
    assertThat(Keys.hash(true)).isEqualTo(Keys.hash("true"));
    assertThat(Keys.hash('x')).isEqualTo(Keys.hash("x"));
  }

  @Test
  void spreadsConsecutiveKeysWithoutCollisions() {
    Set<Long> hashes = new HashSet<>();

    for (long key = 0; key < 200_000; key++) {
      hashes.add(Keys.hash(key));
    }

    assertThat(hashes).hasSize(200_000);
  }

  @Test
  void saltingGivesTwoSwitchesDifferentBuckets() {
    long salt1 = Keys.hash("dashboard");
    long salt2 = Keys.hash("representative");
    int same = 0;

    for (long key = 0; key < 10_000; key++) {
      long bucket1 = Long.remainderUnsigned(Keys.salted(Keys.hash(key), salt1), 100);
      long bucket2 = Long.remainderUnsigned(Keys.salted(Keys.hash(key), salt2), 100);
      same += bucket1 == bucket2 ? 1 : 0;
    }

    assertThat(same).isBetween(50, 150);
  }
}
