package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million calls on eight threads while the flags flip every millisecond and the unified path
 * fails on one call in ten, in a JVM of its own with the real agent jar; then the same load while
 * the agent is attached and detached again and again. The load runs inside that JVM ({@code
 * apps.LoadApp}), which prints its own counts; the test reads the agent's over JMX as well.
 *
 * <p>What the counts must show, in every mode: every call the agent sees is counted once, in
 * exactly one of LegacyCalls (served by the legacy path, including shadow mode, where the unified
 * path runs after it), UnifiedCalls (served by the unified path, including live mode, where the
 * legacy path runs after it) and FallbackCalls (the unified path failed and the legacy path served
 * the call). The second run of shadow and live mode is counted apart, in ShadowCalls. A switch that
 * is off leaves its calls to the original code and counts nothing, so "every call the agent sees"
 * is every call made while the switch was enabled.
 */
class LoadIT {

  private static final String WORK = "io.pathswitch.it.apps.LoadApp$Work";
  private static final int ROUNDS = 5;

  @TempDir Path folder;

  @Test
  void countsEveryCallOnceWhileFlagsFlipEveryMillisecondAndOneCallInTenFails() throws Exception {
    Path config = config(folder);

    try (Jvm app = Jvm.app(config, "io.pathswitch.it.apps.LoadApp", "flags", "1000000", "8");
        BufferedWriter input = app.stdin()) {
      app.awaitLine(line -> line.startsWith("done "), Duration.ofSeconds(150));
      Map<String, Long> done = figures(app);
      Map<String, Long> jmx = agentCounts(app);
      input.write("exit\n");
      input.flush();
      System.out.println("LoadIT flags run: " + done);

      long counted = done.get("LegacyCalls") + done.get("UnifiedCalls") + done.get("FallbackCalls");
      assertThat(done.get("finished")).as(app.outText()).isEqualTo(1);
      assertThat(done.get("deadlocked")).isZero();
      assertThat(done.get("calls")).isEqualTo(1_000_000);
      assertThat(done.get("exceptions")).as(app.outText()).isZero();
      assertThat(done.get("correct")).isEqualTo(1_000_000);
      assertThat(counted).isEqualTo(done.get("callsWhileOn"));
      assertThat(done.get("UnifiedErrors")).isEqualTo(done.get("unifiedFailures"));
      assertThat(done.get("legacyRuns") + done.get("unifiedRuns"))
          .as("every call runs one path, a fallback or a compared call both")
          .isEqualTo(done.get("calls") + done.get("FallbackCalls") + done.get("ShadowCalls"));
      assertThat(done.get("flips")).isGreaterThan(100);
      assertThat(done.get("flipsRefused")).isZero();
      assertThat(done.get("UnifiedCalls")).isPositive();
      assertThat(done.get("FallbackCalls")).isPositive();
      assertThat(done.get("ShadowCalls")).isPositive();
      assertThat(jmx).containsAllEntriesOf(agentPart(done));
    }
  }

  @Test
  void answersEveryCallWhileTheAgentIsAttachedAndDetachedAgainAndAgain() throws Exception {
    Path config = config(folder);
    ObjectName agent = new ObjectName("io.pathswitch:type=Agent");

    try (Jvm app = Jvm.app(null, "io.pathswitch.it.apps.LoadApp", "attach", "8");
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      long countedByAgent = 0;
      List<String> detached = new ArrayList<>();
      long started = System.nanoTime();
      Jmx jmx = null;
      try {
        for (int round = 0; round < ROUNDS; round++) {
          attach(app.pid(), config);
          if (jmx == null) {
            jmx = LaunchIT.awaitJmx(app);
          }
          Jmx connected = jmx;
          await().atMost(Duration.ofSeconds(30)).until(() -> connected.registered("load"));
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> connected.count("load", "UnifiedCalls") > 0);
          countedByAgent +=
              jmx.count("load", "LegacyCalls")
                  + jmx.count("load", "UnifiedCalls")
                  + jmx.count("load", "FallbackCalls");
          detached.add((String) jmx.server().invoke(agent, "detach", new Object[0], new String[0]));
        }
        long roundsMillis = (System.nanoTime() - started) / 1_000_000;
        long unifiedAfterDetach = mark(app, input);
        input.write("stop\n");
        input.flush();
        app.awaitLine(line -> line.startsWith("done "), Duration.ofSeconds(60));
        Map<String, Long> done = figures(app);
        System.out.println(
            "LoadIT attach run: "
                + ROUNDS
                + " attach/detach rounds in "
                + roundsMillis
                + " ms, "
                + done
                + ", agent counted "
                + countedByAgent);

        assertThat(done.get("finished")).as(app.outText()).isEqualTo(1);
        assertThat(done.get("deadlocked")).isZero();
        assertThat(done.get("exceptions")).as(app.outText()).isZero();
        assertThat(done.get("correct")).isEqualTo(done.get("calls"));
        assertThat(countedByAgent).isPositive().isLessThanOrEqualTo(done.get("calls"));
        assertThat(done.get("unifiedRuns"))
            .as("no unified run in the 100,000 calls after the last detach")
            .isEqualTo(unifiedAfterDetach);
        assertThat(detached)
            .hasSize(ROUNDS)
            .allSatisfy(line -> assertThat(line).startsWith("pathswitch detached: original"));
      } finally {
        if (jmx != null) {
          jmx.close();
        }
      }
    }
  }

  static Path config(Path folder) throws IOException {
    return Sample.config(
        folder,
        "log.level = warn",
        "switch.load.legacy = " + WORK + "#compute",
        "switch.load.unified = " + WORK + "#computeUnified",
        "switch.load.enabled = true",
        "switch.load.percentage = 50",
        "switch.load.trip.window = 100",
        "switch.load.trip.min-calls = 40",
        "switch.load.trip.error-rate = 30%",
        "switch.load.trip.cool-down = 5ms",
        "switch.load.trip.probes = 3");
  }

  static void attach(long pid, Path config) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgent(Jvm.AGENT_JAR.toString(), "config=" + config);
    } finally {
      vm.detach();
    }
  }

  /** Asks the app how often the unified path has run so far. */
  private static long mark(Jvm app, BufferedWriter input) throws IOException {
    input.write("mark\n");
    input.flush();
    app.awaitLine(line -> line.startsWith("mark "), Duration.ofSeconds(30));
    String line = app.out().stream().filter(l -> l.startsWith("mark ")).findFirst().get();
    return Long.parseLong(line.substring(line.indexOf('=') + 1));
  }

  /** The {@code done} line: booleans as 1 and 0. */
  static Map<String, Long> figures(Jvm app) {
    String line = app.out().stream().filter(l -> l.startsWith("done ")).findFirst().get();
    Map<String, Long> figures = new HashMap<>();
    for (String pair : line.substring("done ".length()).split(" ")) {
      String[] keyValue = pair.split("=", 2);
      String value = keyValue[1];
      figures.put(
          keyValue[0],
          value.equals("true") ? 1L : value.equals("false") ? 0L : Long.parseLong(value));
    }
    return figures;
  }

  private static Map<String, Long> agentCounts(Jvm app) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (Jmx jmx = Jmx.connect(app.pid())) {
      for (String attribute : agentAttributes()) {
        counts.put(attribute, jmx.count("load", attribute));
      }
    }
    return counts;
  }

  private static Map<String, Long> agentPart(Map<String, Long> done) {
    Map<String, Long> part = new HashMap<>();
    for (String attribute : agentAttributes()) {
      part.put(attribute, done.get(attribute));
    }
    return part;
  }

  private static List<String> agentAttributes() {
    return List.of("LegacyCalls", "UnifiedCalls", "FallbackCalls", "ShadowCalls", "UnifiedErrors");
  }
}
