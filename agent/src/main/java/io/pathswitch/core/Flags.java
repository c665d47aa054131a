package io.pathswitch.core;

import io.pathswitch.bootstrap.Keys;
import io.pathswitch.config.Mode;
import io.pathswitch.config.SwitchConfig;
import java.util.Arrays;
import java.util.Set;

/**
 * The flags of a switch as the hot path reads them: one immutable snapshot, replaced whole on every
 * change, so a decision reads one volatile field and sees a consistent set of flags.
 */
record Flags(
    boolean enabled,
    double percentage,
    int basisPoints,
    boolean keyed,
    long[] includes,
    long[] excludes,
    Mode mode,
    int compareBasisPoints,
    long salt) {

  static final int ALL = 10_000;

  static Flags of(SwitchConfig config, boolean enabled, double percentage, Mode mode) {
    return new Flags(
        enabled,
        percentage,
        basisPoints(percentage),
        config.keyArgument().isPresent(),
        hashes(config.include()),
        hashes(config.exclude()),
        mode,
        (int) Math.round(config.compareRatio() * ALL),
        Keys.hash(config.name()));
  }

  Flags withEnabled(boolean value) {
    return new Flags(
        value, percentage, basisPoints, keyed, includes, excludes, mode, compareBasisPoints, salt);
  }

  Flags withPercentage(double value) {
    return new Flags(
        enabled,
        value,
        basisPoints(value),
        keyed,
        includes,
        excludes,
        mode,
        compareBasisPoints,
        salt);
  }

  Flags withMode(Mode value) {
    return new Flags(
        enabled,
        percentage,
        basisPoints,
        keyed,
        includes,
        excludes,
        value,
        compareBasisPoints,
        salt);
  }

  /**
   * The bucket of a key, 0 to 9,999; stable for a key while the switch keeps its name. The high 32
   * bits of the mixed hash scaled to the range: a multiplication, where a remainder by 10,000 was a
   * division on every keyed call, and just as even.
   */
  int bucket(long keyHash) {
    return (int) (((Keys.salted(keyHash, salt) >>> 32) * ALL) >>> 32);
  }

  boolean excluded(long keyHash) {
    return excludes.length != 0 && Arrays.binarySearch(excludes, keyHash) >= 0;
  }

  boolean included(long keyHash) {
    return includes.length != 0 && Arrays.binarySearch(includes, keyHash) >= 0;
  }

  private static int basisPoints(double percentage) {
    return (int) Math.round(percentage * 100);
  }

  private static long[] hashes(Set<String> keys) {
    long[] hashes = keys.stream().mapToLong(Keys::hash).toArray();
    Arrays.sort(hashes);
    return hashes;
  }
}
