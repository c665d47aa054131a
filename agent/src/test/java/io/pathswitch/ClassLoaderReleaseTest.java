package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that drops a class loader (a redeployed web application, a plugin unloaded) must
 * get its memory back while the agent runs: the agent holds loaders weakly and resolves unified
 * methods through a ClassValue, which lives and dies with the legacy class.
 */
class ClassLoaderReleaseTest {

  private static final String PRICING = "io.pathswitch.fixtures.Pricing";
  private static final String ENGINE = "io.pathswitch.fixtures.PricingEngine";

  @TempDir Path folder;

  @AfterEach
  void detach() {
    Pathswitch.detach();
  }

  @Test
  void releasesAnApplicationClassLoaderOnceTheApplicationDropsIt() throws Exception {
    Path config = folder.resolve("pathswitch.properties");
    Files.write(
        config,
        List.of(
            "switch.same.legacy = " + PRICING + "#price",
            "switch.same.unified = " + PRICING + "#priceUnified",
            "switch.same.enabled = true",
            "switch.fresh.legacy = " + PRICING + "#quote(long)",
            "switch.fresh.unified = " + ENGINE + "#quote",
            "switch.fresh.enabled = true",
            "switch.receiver.legacy = " + PRICING + "#touch",
            "switch.receiver.unified = " + ENGINE + "#touch",
            "switch.receiver.enabled = true"));
    Pathswitch.start("config=" + config, TestInstrumentation.get(), "test");

    WeakReference<ClassLoader> loader = loadAndCallThroughTheUnifiedPaths();

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .alias("the dropped class loader is collected")
        .until(
            () -> {
              System.gc();
              return loader.get() == null;
            });
  }

  /** Runs in a frame of its own, so that no local variable keeps the loader reachable. */
  private static WeakReference<ClassLoader> loadAndCallThroughTheUnifiedPaths() throws Exception {
    ClassLoader loader = new ChildFirstLoader();
    Class<?> pricing = Class.forName(PRICING, true, loader);
    Object instance = pricing.getConstructor().newInstance();
    List<String> log = new java.util.ArrayList<>();

    Object price = pricing.getMethod("price", long.class).invoke(instance, 3L);
    Object quote = pricing.getMethod("quote", long.class).invoke(instance, 5L);
    pricing.getMethod("touch", List.class).invoke(instance, log);

    assertThat(price).as("unified path of the same instance ran").isEqualTo(31L);
    assertThat(quote).as("unified path of a new instance ran").isEqualTo("unified 5");
    assertThat(log)
        .as("unified static path taking the receiver ran")
        .containsExactly("unified EUR");
    assertThat(Pathswitch.current().switches().get("same").unifiedStats().calls()).isEqualTo(1);
    return new WeakReference<>(loader);
  }
}
