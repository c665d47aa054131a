package io.pathswitch.thresholds;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.thresholds.Breaker.Settings;
import io.pathswitch.thresholds.Breaker.State;
import io.pathswitch.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BreakerContentionTest {

  private static final int THREADS = 8;
  private static final long FAST = Duration.ofMillis(20).toNanos();
  private static final long SLOW = Duration.ofSeconds(3).toNanos();
  private static final Duration LATENCY = Duration.ofSeconds(2);
  private static final Duration COOL_DOWN = Duration.ofSeconds(60);

  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
  private final FakeClock clock = new FakeClock();
  private final BreakerTest.Transitions transitions = new BreakerTest.Transitions();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @RepeatedTest(20)
  void tripsExactlyOnceWhenEightThreadsRecordFailuresAboveTheThreshold() throws Exception {
    Breaker breaker =
        new Breaker(new Settings(LATENCY, 0.5, 0.05, 100, 20, COOL_DOWN, 5), clock, transitions);

    race(
        thread -> {
          for (int i = 0; i < 20_000; i++) {
            breaker.record(FAST, i % 10 == thread);
          }
        });

    assertThat(transitions.all()).hasSize(1);
    assertThat(transitions.last()).startsWith("ON→TRIPPED: ").contains("unified calls failed");
    assertThat(breaker.state()).isEqualTo(State.TRIPPED);
  }

  @Test
  void countsExactlyEveryOutcomeOfAWindowThatIsNotYetFull() throws Exception {
    Breaker breaker =
        new Breaker(new Settings(LATENCY, 1, 1, 1_000, 1_000, COOL_DOWN, 5), clock, transitions);

    race(
        thread -> {
          for (int i = 0; i < 100; i++) {
            breaker.record(i % 4 == 0 ? SLOW : FAST, i % 2 == 0);
          }
        });

    assertThat(breaker.snapshot())
        .isEqualTo(new Breaker.Snapshot(State.ON, "started", 800, 400, 200));
  }

  @Test
  void countsNeverDriftFromTheWindowAfterContention() throws Exception {
    Breaker breaker =
        new Breaker(new Settings(LATENCY, 1, 1, 1_000, 1_000, COOL_DOWN, 5), clock, transitions);
    race(
        thread -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 50_000; i++) {
            breaker.record(random.nextInt(3) == 0 ? SLOW : FAST, random.nextBoolean());
          }
        });

    for (int i = 0; i < 1_000; i++) {
      breaker.record(FAST, false);
    }

    assertThat(breaker.snapshot())
        .isEqualTo(new Breaker.Snapshot(State.ON, "started", 1_000, 0, 0));
    assertThat(transitions.all()).isEmpty();
  }

  @RepeatedTest(20)
  void admitsExactlyTheConfiguredProbesWhenEightThreadsAskAtOnce() throws Exception {
    Breaker breaker =
        new Breaker(new Settings(LATENCY, 0.5, 0.05, 100, 20, COOL_DOWN, 5), clock, transitions);
    breaker.trip("test");
    clock.advance(COOL_DOWN);
    AtomicInteger admitted = new AtomicInteger();

    race(
        thread -> {
          for (int i = 0; i < 1_000; i++) {
            if (breaker.tryAcquireUnified()) {
              admitted.incrementAndGet();
            }
          }
        });

    assertThat(admitted).hasValue(5);
    assertThat(transitions.all())
        .containsExactly(
            "ON→TRIPPED: test; legacy path for 1m",
            "TRIPPED→PROBING: cool-down of 1m over; 5 probes decide");
  }

  @RepeatedTest(20)
  void decidesProbesExactlyOnceWhenEightThreadsRecordTheirOutcomes() throws Exception {
    Breaker breaker =
        new Breaker(new Settings(LATENCY, 0.5, 0.05, 100, 20, COOL_DOWN, 5), clock, transitions);
    breaker.trip("test");
    clock.advance(COOL_DOWN);
    breaker.tryAcquireUnified();

    race(
        thread -> {
          for (int i = 0; i < 1_000; i++) {
            breaker.record(FAST, false);
          }
        });

    assertThat(transitions.all()).hasSize(3).endsWith("PROBING→ON: 5 of 5 probes passed");
    assertThat(breaker.snapshot().calls()).isBetween(1, 100);
  }

  /** Runs the body on every thread at once and waits for all of them, failing on any failure. */
  private void race(IntConsumer body) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int thread = 0; thread < THREADS; thread++) {
      int number = thread;
      running.add(
          threads.submit(
              () -> {
                start.await();
                body.accept(number);
                return null;
              }));
    }

    start.countDown();

    for (Future<?> each : running) {
      each.get(30, TimeUnit.SECONDS);
    }
  }
}
