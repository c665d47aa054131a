package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent given with {@code -javaagent}: real JVMs, the real shaded jar. */
class LaunchIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";
  private static final int N = 300;

  @TempDir Path folder;

  @Test
  void switchesTheDashboardToTheUnifiedEngineWhenJmxSetsThePercentage() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.percentage = 0");

    try (Sample sample = Sample.start(Sample.agent(config), N, "--log-sql");
        Jmx jmx = awaitJmx(sample)) {
      Sample.Served legacy = sample.dashboard();
      long legacyStatements = legacy.awaitStatements(4 * N + 1);

      jmx.set("dashboard", "Percentage", 100.0);
      Sample.Served unified = sample.dashboard();
      long unifiedStatements = unified.awaitStatements(1);

      assertThat(legacy.status).isEqualTo(200);
      assertThat(legacyStatements).isEqualTo(4 * N + 1);
      assertThat(unifiedStatements).isBetween(1L, 5L);
      assertThat(unified.body).isEqualTo(legacy.body);
      assertThat(jmx.count("dashboard", "UnifiedCalls")).isEqualTo(1);
      assertThat(jmx.count("dashboard", "LegacyCalls")).isEqualTo(1);
      assertThat(meters(jmx))
          .anyMatch(name -> name.contains("pathswitchCalls") && name.contains("unified"))
          .anyMatch(name -> name.contains("pathswitchLatency") && name.contains("legacy"));
      assertThat(sample.jvm.errText())
          .contains("pathswitch 0.1.0-SNAPSHOT installed at launch from " + config)
          .contains("switch dashboard: Percentage 0 % -> 100 % (JMX)")
          .contains(
              "switch dashboard: the unified path "
                  + ENGINE
                  + "#buildDashboard ran for the"
                  + " first time");
    }
  }

  @Test
  void sendsAnAttributeChangeNotificationForEveryChange() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.percentage = 0");
    java.util.List<javax.management.AttributeChangeNotification> heard =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    try (Sample sample = Sample.start(Sample.agent(config), 10);
        Jmx jmx = awaitJmx(sample)) {
      jmx.server()
          .addNotificationListener(
              Jmx.switchNamed("dashboard"),
              (notification, handback) ->
                  heard.add((javax.management.AttributeChangeNotification) notification),
              null,
              null);
      jmx.set("dashboard", "Percentage", 100.0);
      jmx.set("dashboard", "Enabled", false);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() >= 3);

      assertThat(heard)
          .extracting(n -> n.getAttributeName() + " " + n.getOldValue() + " -> " + n.getNewValue())
          .containsExactly("Percentage 0.0 -> 100.0", "Enabled true -> false", "State ON -> OFF");
      assertThat(heard.get(0).getMessage())
          .isEqualTo("switch dashboard Percentage: 0.0 -> 100.0 (JMX)");
    }
  }

  @Test
  void bucketsKeysStablyAndOnlyAddsKeysAsThePercentageGrows() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.router.legacy = io.pathswitch.it.apps.KeyedApp$Router#route(long)",
            "switch.router.unified = io.pathswitch.it.apps.KeyedApp$Router#routeUnified",
            "switch.router.enabled = true",
            "switch.router.percentage = 30",
            "switch.router.key = arg0");

    try (Jvm app = testApp(config, "io.pathswitch.it.apps.KeyedApp");
        BufferedWriter input = stdin(app)) {
      app.awaitLine("ready"::equals, Jvm.START);
      Set<Long> first = run(app, input, 1);
      Set<Long> second = run(app, input, 2);
      try (Jmx jmx = awaitJmx(app)) {
        jmx.set("router", "Percentage", 60.0);
      }
      Set<Long> wider = run(app, input, 3);

      assertThat(first.size()).isBetween(2_700, 3_300);
      assertThat(second).isEqualTo(first);
      assertThat(wider.size()).isBetween(5_700, 6_300);
      assertThat(wider).containsAll(first);
    }
  }

  @Test
  void answersWithTheLegacyResultWhenTheUnifiedEngineFails() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.trip.min-calls = 100");

    try (Sample sample = Sample.start(Sample.agent(config), 20);
        Jmx jmx = awaitJmx(sample)) {
      String healthy = sample.dashboard().body;
      sample.get("/admin/faults?error-rate=1");
      Sample.Served failing = sample.dashboard();

      assertThat(failing.status).isEqualTo(200);
      assertThat(failing.body).isEqualTo(healthy);
      assertThat(jmx.count("dashboard", "FallbackCalls")).isEqualTo(1);
      assertThat(jmx.count("dashboard", "UnifiedErrors")).isEqualTo(1);
    }
  }

  @Test
  void letsTheCallerSeeTheFailureWhenFallbackIsOff() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.fallback = false",
            "switch.dashboard.trip.min-calls = 100");

    try (Sample sample = Sample.start(Sample.agent(config), 20);
        Jmx jmx = awaitJmx(sample)) {
      sample.get("/admin/faults?error-rate=1");
      Sample.Served failing = sample.dashboard();

      assertThat(failing.status).isEqualTo(500);
      assertThat(jmx.count("dashboard", "FallbackCalls")).isZero();
      assertThat(jmx.count("dashboard", "UnifiedErrors")).isEqualTo(1);
    }
  }

  @Test
  void runsAnApplicationWithItsOwnByteBuddyAndSlf4jUnaffected() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.router.legacy = io.pathswitch.it.apps.KeyedApp$Router#route(long)",
            "switch.router.unified = io.pathswitch.it.apps.KeyedApp$Router#routeUnified",
            "switch.router.enabled = true");

    try (Jvm app = testApp(config, "io.pathswitch.it.apps.OwnLibrariesApp")) {
      int exit = app.waitForExit(Jvm.START);

      assertThat(exit).as(app.errText()).isZero();
      assertThat(app.outText())
          .contains("greeting: unified")
          .contains("slf4j of the application: org.slf4j.impl.SimpleLoggerFactory");
      assertThat(app.errText())
          .contains(
              "application log: made by the application's Byte Buddy from byte-buddy-1.14.12.jar")
          .contains("[pathswitch]")
          .contains("installed at launch");
    }
  }

  static Jvm testApp(Path config, String mainClass) throws Exception {
    return Jvm.start(
        List.of(
            "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config,
            "-cp",
            System.getProperty("java.class.path"),
            mainClass));
  }

  /** The Micrometer meters the agent exports, by JMX name, once its registry has them. */
  private static java.util.Set<String> meters(Jmx jmx) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jmx
                    .server()
                    .queryNames(new javax.management.ObjectName("pathswitch.metrics:*"), null)
                    .stream()
                    .map(Object::toString)
                    .collect(Collectors.toSet()),
            names -> !names.isEmpty());
  }

  static Jmx awaitJmx(Sample sample) {
    return awaitJmx(sample.jvm);
  }

  /** Connects once the agent has registered its beans (it does so off the start-up path). */
  static Jmx awaitJmx(Jvm jvm) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              Jmx jmx = Jmx.connect(jvm.pid());
              if (jmx.server()
                      .queryNames(new javax.management.ObjectName("io.pathswitch:*"), null)
                      .size()
                  < 2) {
                jmx.close();
                return null;
              }
              return jmx;
            },
            jmx -> jmx != null);
  }

  private static BufferedWriter stdin(Jvm jvm) {
    return new BufferedWriter(
        new OutputStreamWriter(jvm.process().getOutputStream(), StandardCharsets.UTF_8));
  }

  private static Set<Long> run(Jvm app, BufferedWriter input, int round) throws Exception {
    input.write("run\n");
    input.flush();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> app.out().stream().filter(l -> l.startsWith("unified:")).count() >= round);
    String line =
        app.out().stream().filter(l -> l.startsWith("unified:")).skip(round - 1).findFirst().get();
    String keys = line.substring("unified:".length());
    return keys.isEmpty()
        ? new HashSet<>()
        : Arrays.stream(keys.split(",")).map(Long::valueOf).collect(Collectors.toSet());
  }
}
