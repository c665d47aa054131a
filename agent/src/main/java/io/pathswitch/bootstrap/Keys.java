package io.pathswitch.bootstrap;

/**
 * Hashes the key argument of a switched call, inlined into instrumented methods so that keys of
 * primitive types and strings are hashed without allocating.
 *
 * <p>The hash is MurmurHash3's 64-bit mixing (x64 constants, {@code fmix64} finaliser) over the
 * key's text, two characters per 32-bit lane: a primitive key hashes like its decimal text, so
 * {@code include = 42} matches a {@code long} 42 and a {@code String} "42" alike. Stateless and
 * thread-safe.
 */
public final class Keys {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final long SEED = 0x9747b28cL;
  private static final long[] POWERS_OF_TEN = powersOfTen();

  private Keys() {}

  public static long hash(long key) {
    if (key == Long.MIN_VALUE) {
      return hash("-9223372036854775808");
    }
    long h = SEED;
    long block = 0;
    int length = 0;
    long magnitude = key;
    if (key < 0) {
      block = '-';
      length = 1;
      magnitude = -key;
    }
    for (int i = digits(magnitude) - 1; i >= 0; i--) {
      char digit = (char) ('0' + (magnitude / POWERS_OF_TEN[i]) % 10);
      block |= ((long) digit) << (16 * (length & 3));
      length++;
      if ((length & 3) == 0) {
        h = mixBlock(h, block);
        block = 0;
      }
    }
    return finish(h, block, length);
  }

  public static long hash(int key) {
    return hash((long) key);
  }

  public static long hash(boolean key) {
    return hash(key ? "true" : "false");
  }

  public static long hash(char key) {
    return finish(SEED, key, 1);
  }

  public static long hash(double key) {
    return hash(Double.toString(key));
  }

  public static long hash(Object key) {
    if (key instanceof CharSequence) {
      return hash((CharSequence) key);
    }
    if (key instanceof Long
        || key instanceof Integer
        || key instanceof Short
        || key instanceof Byte) {
      return hash(((Number) key).longValue());
    }
    return hash(String.valueOf(key));
  }

  public static long hash(CharSequence key) {
    long h = SEED;
    long block = 0;
    int length = key.length();
    for (int i = 0; i < length; i++) {
      block |= ((long) key.charAt(i)) << (16 * (i & 3));
      if ((i & 3) == 3) {
        h = mixBlock(h, block);
        block = 0;
      }
    }
    return finish(h, block, length);
  }

  /** Mixes a key's hash with its switch's salt: the value bucketing reads. */
  public static long salted(long keyHash, long salt) {
    return fmix64(keyHash ^ salt);
  }

  private static long mixBlock(long h, long block) {
    long k = block * C1;
    k = Long.rotateLeft(k, 31);
    k *= C2;
    h ^= k;
    h = Long.rotateLeft(h, 27);
    return h * 5 + 0x52dce729;
  }

  private static long finish(long h, long tail, int length) {
    if ((length & 3) != 0) {
      long k = tail * C1;
      k = Long.rotateLeft(k, 31);
      h ^= k * C2;
    }
    h ^= length;
    return fmix64(h);
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static int digits(long magnitude) {
    int n = 1;
    while (n < 19 && magnitude >= POWERS_OF_TEN[n]) {
      n++;
    }
    return n;
  }

  private static long[] powersOfTen() {
    long[] powers = new long[19];
    powers[0] = 1;
    for (int i = 1; i < powers.length; i++) {
      powers[i] = powers[i - 1] * 10;
    }
    return powers;
  }
}
