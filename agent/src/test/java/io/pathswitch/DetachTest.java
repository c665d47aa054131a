package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.instrumentation.TestInstrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detach in the test JVM: whatever the agent registered on its own thread goes too. */
class DetachTest {

  private static final String PRICING = "io.pathswitch.fixtures.Pricing";

  @TempDir Path folder;

  @AfterEach
  void detach() {
    Pathswitch.detach();
  }

  @Test
  void leavesNoBeanNoMeterNoThreadAndNoPropertyEvenRightAfterTheStart() throws Exception {
    Path config = folder.resolve("pathswitch.properties");
    Files.write(
        config,
        List.of(
            "switch.same.legacy = " + PRICING + "#price",
            "switch.same.unified = " + PRICING + "#priceUnified",
            "switch.same.enabled = true"));

    for (int round = 0; round < 30; round++) {
      Pathswitch.start("config=" + config, TestInstrumentation.get(), "test");
      if (round % 2 == 1) {
        spin(round % 5); // sometimes while the beans are being registered
      }
      Pathswitch.detach();

      assertThat(beans("io.pathswitch:*")).as("round %d", round).isEmpty();
      assertThat(beans("pathswitch.metrics:*")).as("round %d", round).isEmpty();
      assertThat(System.getProperty(Pathswitch.VERSION_PROPERTY)).isNull();
      assertThat(Thread.getAllStackTraces().keySet())
          .as("round %d", round)
          .noneMatch(thread -> thread.getName().equals("pathswitch") && thread.isAlive());
    }
  }

  private static List<ObjectName> beans(String pattern) throws Exception {
    return List.copyOf(
        ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(pattern), null));
  }

  /** Lets the agent's thread run for a while, without sleeping on the clock. */
  private static void spin(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
