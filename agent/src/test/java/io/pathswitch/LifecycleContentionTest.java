package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operators at once: one reloads the configuration over JMX while another detaches the agent.
 * Whichever wins, the JVM must end in one of the two clean states, never in between: attached and
 * switching, or detached with the original code running and nothing of the agent left.
 */
class LifecycleContentionTest {

  private static final int ROUNDS = 6;

  @TempDir Path folder;

  @AfterEach
  void detach() {
    Pathswitch.detach();
  }

  @Test
  void endsAttachedOrCleanlyDetachedWhenAReloadRacesADetach() throws Exception {
    Path config = folder.resolve("pathswitch.properties");
    Files.write(
        config,
        List.of(
            "switch.race.legacy = io.pathswitch.fixtures.Pricing#price",
            "switch.race.unified = io.pathswitch.fixtures.Pricing#priceUnified",
            "switch.race.enabled = true"));

    for (int round = 0; round < ROUNDS; round++) {
      Pathswitch.start("config=" + config, TestInstrumentation.get(), "test");
      Pathswitch agent = Pathswitch.current();
      Method price = priceOfAFreshCopy();
      List<Throwable> failures = race(agent::reload, Pathswitch::detach);

      long answer =
          (long) price.invoke(price.getDeclaringClass().getConstructor().newInstance(), 3L);
      String outcome = Pathswitch.current() == null ? "detached" : "attached";

      assertThat(failures)
          .as("round %d", round)
          .allSatisfy(
              failure ->
                  assertThat(failure)
                      .isInstanceOf(IllegalStateException.class)
                      .hasMessageContaining("detached"));
      if (outcome.equals("detached")) {
        assertThat(answer).as("round %d: the original code runs", round).isEqualTo(30L);
        await()
            .atMost(Duration.ofSeconds(10))
            .pollDelay(Duration.ZERO)
            .until(LifecycleContentionTest::noAgentThread);
      } else {
        assertThat(answer).as("round %d: the switch diverts", round).isEqualTo(31L);
        Pathswitch.detach();
      }
    }
  }

  /** A fresh copy of the fixture, loaded after the agent started; its {@code price(long)}. */
  private static Method priceOfAFreshCopy() throws Exception {
    Class<?> pricing =
        Class.forName("io.pathswitch.fixtures.Pricing", true, new ChildFirstLoader());
    return pricing.getMethod("price", long.class);
  }

  /** Runs both at the same instant; returns what they threw. */
  private static List<Throwable> race(Runnable first, Runnable second) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable action : List.of(first, second)) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  action.run();
                } catch (Throwable t) {
                  failures.add(t);
                }
              });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    return failures;
  }

  private static boolean noAgentThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().equals("pathswitch") && thread.isAlive());
  }
}
