package io.pathswitch.thresholds;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Says when the heap still in use after a garbage collection reaches {@code guard.max-heap}, using
 * the JVM's own collection-usage thresholds, so it costs nothing between collections.
 *
 * <p>The JVM judges each heap pool on its own, so the guard fires when one pool reaches the limit
 * after a collection. In practice the old generation (G1 Old Gen, Tenured Gen, PS Old Gen) holds
 * nearly all of the heap that survives a collection, so this is the figure that matters; a heap
 * whose survivors are spread over several pools can exceed the limit in total without any one pool
 * reaching it. Pools that do not support collection-usage thresholds (for example under Epsilon),
 * and pools whose maximum size is below the limit (they can never reach it on their own, and the
 * JVM refuses such a threshold), are not watched; {@link #pools()} names the ones that are.
 *
 * <p>Collection-usage thresholds are settings of the whole JVM. While a guard is installed it owns
 * them; {@link #close()} restores the values it found. Two guards installed at the same time would
 * overwrite each other's thresholds: close the old guard before installing a new one.
 *
 * <p>Thread-safe. The callback runs on the JVM's notification thread, once for every collection
 * after which a watched pool is still at or above the limit; it must be quick and must not throw.
 */
public final class HeapGuard implements AutoCloseable {

  private final long maxBytes;
  private final Consumer<String> onExceeded;
  private final Map<MemoryPoolMXBean, Long> previousThresholds;
  private final NotificationEmitter emitter;
  private final NotificationListener listener = this::handle;
  private final NotificationFilter filter = HeapGuard::isCollectionThresholdExceeded;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HeapGuard(
      long maxBytes, Consumer<String> onExceeded, Map<MemoryPoolMXBean, Long> previousThresholds) {
    this.maxBytes = maxBytes;
    this.onExceeded = onExceeded;
    this.previousThresholds = previousThresholds;
    this.emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
  }

  /**
   * Starts watching every heap pool that supports collection-usage thresholds.
   *
   * @param maxBytes the heap in use after a collection at which {@code onExceeded} is called
   * @param onExceeded receives the reason, such as {@code heap in use after collection 812 MiB ≥
   *     guard.max-heap 800 MiB (pool G1 Old Gen)}
   * @return the guard; closing it stops watching and restores the thresholds it found
   */
  public static HeapGuard install(long maxBytes, Consumer<String> onExceeded) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("guard.max-heap must be positive, but was " + maxBytes);
    }
    Objects.requireNonNull(onExceeded, "onExceeded");

    Map<MemoryPoolMXBean, Long> previous = new LinkedHashMap<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP
          && pool.isCollectionUsageThresholdSupported()
          && canReach(pool, maxBytes)) {
        previous.put(pool, pool.getCollectionUsageThreshold());
      }
    }
    HeapGuard guard = new HeapGuard(maxBytes, onExceeded, previous);

    // The listener goes in before the thresholds, so no collection between the two is missed.
    guard.emitter.addNotificationListener(guard.listener, guard.filter, null);
    previous.keySet().forEach(pool -> pool.setCollectionUsageThreshold(maxBytes));
    return guard;
  }

  /** The names of the heap pools watched, empty when this JVM offers none. */
  public List<String> pools() {
    List<String> names = new ArrayList<>();
    previousThresholds.keySet().forEach(pool -> names.add(pool.getName()));
    return names;
  }

  /** Stops watching and puts back the thresholds found at install. Closing twice does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }

    previousThresholds.forEach(MemoryPoolMXBean::setCollectionUsageThreshold);
    try {
      emitter.removeNotificationListener(listener, filter, null);
    } catch (ListenerNotFoundException e) {
      // Cannot happen: this guard added exactly this listener, filter and handback, once.
      throw new IllegalStateException("the heap guard's listener was already removed", e);
    }
  }

  private void handle(Notification notification, Object handback) {
    if (closed.get()) {
      return;
    }

    MemoryNotificationInfo info =
        MemoryNotificationInfo.from((CompositeData) notification.getUserData());
    long used = info.getUsage().getUsed();
    // Another component may have set a lower threshold on the same pool; judge our own limit.
    if (used >= maxBytes && watches(info.getPoolName())) {
      onExceeded.accept(reason(used, info.getPoolName()));
    }
  }

  private boolean watches(String poolName) {
    return previousThresholds.keySet().stream().anyMatch(pool -> pool.getName().equals(poolName));
  }

  private String reason(long used, String poolName) {
    return "heap in use after collection "
        + bytes(used)
        + " ≥ guard.max-heap "
        + bytes(maxBytes)
        + " (pool "
        + poolName
        + ")";
  }

  /** Whole MiB from one MiB up ({@code 812 MiB}), KiB below that, bytes below one KiB. */
  static String bytes(long bytes) {
    if (bytes >= 1L << 20) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1L << 10) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + (bytes == 1 ? " byte" : " bytes");
  }

  /**
   * A pool whose maximum size is below the limit can never reach it on its own, and the JVM refuses
   * a threshold above a pool's maximum.
   */
  private static boolean canReach(MemoryPoolMXBean pool, long maxBytes) {
    long max = pool.getUsage().getMax();
    return max < 0 || max >= maxBytes;
  }

  private static boolean isCollectionThresholdExceeded(Notification notification) {
    return MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(
        notification.getType());
  }
}
