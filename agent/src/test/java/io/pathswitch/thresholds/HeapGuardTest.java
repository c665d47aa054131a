package io.pathswitch.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class HeapGuardTest {

  private final ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();

  @Test
  void reportsHeapInUseAfterACollectionAtOrAboveTheLimit() {
    try (HeapGuard guard = HeapGuard.install(1, reasons::add)) {

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                System.gc();
                return !reasons.isEmpty();
              });

      assertThat(guard.pools()).isNotEmpty();
      assertThat(reasons.peek())
          .matches(
              "heap in use after collection \\d+ (MiB|KiB|bytes) ≥ guard.max-heap 1 byte \\(pool"
                  + " .+\\)");
    }
  }

  @Test
  void restoresTheThresholdsItFoundWhenClosed() {
    Map<String, Long> before = collectionThresholds();
    HeapGuard guard = HeapGuard.install(1 << 20, reasons::add);

    Map<String, Long> installed = collectionThresholds();
    guard.close();

    assertThat(installed).containsAllEntriesOf(Map.of(guard.pools().get(0), 1L << 20));
    assertThat(collectionThresholds()).isEqualTo(before);
  }

  @Test
  void staysQuietAfterItIsClosed() {
    HeapGuard closed = HeapGuard.install(1, reasons::add);
    closed.close();
    closed.close();
    ConcurrentLinkedQueue<String> later = new ConcurrentLinkedQueue<>();

    try (HeapGuard guard = HeapGuard.install(1, later::add)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                System.gc();
                return !later.isEmpty();
              });
    }

    assertThat(reasons).isEmpty();
  }

  @Test
  void leavesOutPoolsThatCanNeverReachTheLimit() {
    try (HeapGuard guard = HeapGuard.install(Long.MAX_VALUE, reasons::add)) {

      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (guard.pools().contains(pool.getName())) {
          assertThat(pool.getUsage().getMax()).as(pool.getName()).isNegative();
        }
      }
    }
  }

  @Test
  void rejectsALimitThatIsNotPositive() {
    assertThatThrownBy(() -> HeapGuard.install(0, reasons::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guard.max-heap must be positive, but was 0");
  }

  @Test
  void writesSizesInTheLargestUnitThatFits() {
    assertThat(HeapGuard.bytes(812L << 20)).isEqualTo("812 MiB");
    assertThat(HeapGuard.bytes((812L << 20) + 1_000)).isEqualTo("812 MiB");
    assertThat(HeapGuard.bytes(2_048)).isEqualTo("2 KiB");
    assertThat(HeapGuard.bytes(1)).isEqualTo("1 byte");
    assertThat(HeapGuard.bytes(0)).isEqualTo("0 bytes");
  }

  private static Map<String, Long> collectionThresholds() {
    Map<String, Long> thresholds = new LinkedHashMap<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.isCollectionUsageThresholdSupported()) {
        thresholds.put(pool.getName(), pool.getCollectionUsageThreshold());
      }
    }
    return thresholds;
  }
}
