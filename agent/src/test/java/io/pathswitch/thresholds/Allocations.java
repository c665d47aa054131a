package io.pathswitch.thresholds;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Measures what a piece of code allocates on the current thread, where the JVM can tell. */
public final class Allocations {

  private Allocations() {}

  /** Bytes allocated by the current thread while running the code; skips the test if unknown. */
  public static long measure(Runnable code) {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "this JVM does not count allocated bytes per thread");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);

    code.run();

    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
