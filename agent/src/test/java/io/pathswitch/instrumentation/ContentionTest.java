package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.Mode;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.time.Clock;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Calls under contention while faults come and go and flags and modes flip: every call is counted
 * once, on the path that served it.
 */
class ContentionTest {

  private static final int THREADS = 8;
  private static final int CALLS = 50_000;

  private final Instrumentation instrumentation = TestInstrumentation.get();

  @Test
  void countsEveryCallOnceWhileFaultsComeAndGoAndFlagsFlip() throws Exception {
    Switch sw = switchFor();
    Installer installer = new Installer(instrumentation, new Bindings());
    installer.install(List.of(sw));
    try {
      Class<?> type = Class.forName("io.pathswitch.fixtures.Flaky", true, new ChildFirstLoader());
      Object flaky = type.getConstructor().newInstance();
      Method compute = type.getMethod("compute", int.class);
      AtomicLong wrongAnswers = new AtomicLong();
      AtomicLong exceptions = new AtomicLong();
      AtomicBoolean done = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);

      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread caller =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < CALLS; i++) {
                      try {
                        if ((int) compute.invoke(flaky, i) != i + 1) {
                          wrongAnswers.incrementAndGet();
                        }
                      } catch (ReflectiveOperationException e) {
                        exceptions.incrementAndGet();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        caller.start();
        callers.add(caller);
      }
      Thread chaos = chaos(sw, done);
      start.countDown();
      for (Thread caller : callers) {
        caller.join();
      }
      done.set(true);
      chaos.join();

      long counted =
          sw.legacyStats().calls() + sw.unifiedStats().calls() + sw.fallbackStats().calls();
      assertThat(exceptions).hasValue(0);
      assertThat(wrongAnswers).hasValue(0);
      assertThat(counted).isEqualTo((long) THREADS * CALLS);
      assertThat(sw.fallbackStats().calls()).isPositive();
      assertThat(sw.unifiedStats().calls()).isPositive();
    } finally {
      installer.uninstall();
      sw.withdraw();
    }
  }

  /** About every millisecond: the percentage flips between 50 and 100, the mode at random. */
  private static Thread chaos(Switch sw, AtomicBoolean done) {
    Thread chaos =
        new Thread(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              Mode[] modes = Mode.values();
              while (!done.get()) {
                sw.setPercentage(random.nextBoolean() ? 100 : 50, "chaos");
                sw.setMode(modes[random.nextInt(modes.length)], "chaos");
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
              }
            });
    chaos.start();
    return chaos;
  }

  private static Switch switchFor() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("switch.flaky.legacy", "io.pathswitch.fixtures.Flaky#compute");
    properties.setProperty("switch.flaky.unified", "io.pathswitch.fixtures.Flaky#computeUnified");
    properties.setProperty("switch.flaky.enabled", "true");
    properties.setProperty("switch.flaky.trip.window", "50");
    properties.setProperty("switch.flaky.trip.min-calls", "20");
    properties.setProperty("switch.flaky.trip.error-rate", "30%");
    properties.setProperty("switch.flaky.trip.cool-down", "0");
    AgentConfig config = AgentConfig.parse(properties, "contention.properties");
    return new Switch(config.switches().get(0), Clock.SYSTEM, new SwitchListener() {});
  }
}
