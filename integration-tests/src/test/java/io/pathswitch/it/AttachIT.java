package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent loaded into a running sample, taken out again, and loaded once more: through the
 * command line and through jcmd, on each JDK found. One sample JVM serves every test of a JDK; each
 * test leaves it as it found it, without the agent.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.pathswitch.it.Jdk#forTests")
class AttachIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";
  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** The classes the agent changes in the sample: the legacy class and, to count, H2's JDBC. */
  private static final String[] CHANGED = {
    SERVICE, "org.h2.jdbc.JdbcConnection", "org.h2.jdbc.JdbcPreparedStatement"
  };

  private static final int N = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Sample sample;

  @Parameter Jdk jdk;

  @TempDir static Path folder;

  @BeforeParameterizedClassInvocation
  static void startTheSampleWithoutTheAgent(Jdk jdk) throws IOException {
    if (!jdk.present()) {
      System.err.println("[AttachIT] " + jdk.missingReason());
      return;
    }
    sample = Sample.start(jdk.java(), jdk.attachable(), N, "--log-sql");
  }

  @BeforeEach
  void skipWithoutTheJdk() {
    Assumptions.assumeTrue(jdk.present(), jdk.missingReason());
  }

  @AfterParameterizedClassInvocation
  static void stopTheSample() {
    if (sample != null) {
      sample.close();
      sample = null;
    }
  }

  /** Takes out whatever a failed test left, and checks the application saw no JVM warning. */
  @AfterEach
  void leaveTheSampleWithoutTheAgent() throws Exception {
    if (sample == null) {
      return;
    }
    assertThat(sample.jvm.alive()).as("the sample runs").isTrue();
    try (Jmx jmx = Jmx.connect(pid())) {
      if (jmx.server().isRegistered(AGENT)) {
        jmx.server().invoke(AGENT, "detach", new Object[0], new String[0]);
      }
    }
    assertThat(sample.jvm.err())
        .as("no JVM warning with -XX:+EnableDynamicAgentLoading on Java 21+")
        .noneMatch(line -> line.startsWith("WARNING"));
  }

  private static final ObjectName AGENT = name("io.pathswitch:type=Agent");

  @Test
  void attachesThroughTheCommandLineAndSwitchesWhenTheCommandLineSetsThePercentage()
      throws Exception {
    Path config = dashboard(0);

    Cli attach = Cli.run(jdk, "attach", pid(), "config=" + config);
    Sample.Served legacy = sample.dashboard();
    long legacyStatements = legacy.awaitStatements(4 * N + 1);
    Cli set = Cli.run(jdk, "set", pid(), "dashboard", "percentage=100");
    Sample.Served unified = sample.dashboard();
    unified.awaitStatements(1);
    Cli status = Cli.run(jdk, "status", pid(), "--json");
    Cli table = Cli.run(jdk, "status", pid());
    Cli list = Cli.run(jdk, "list", "--json");

    assertThat(attach.exitCode).as(attach.toString()).isZero();
    assertThat(attach.out)
        .startsWith(
            "attached pathswitch "
                + VERSION
                + " in pid "
                + pid()
                + " with "
                + config
                + ": 1 switch")
        .contains("dashboard  ON     yes      0 %");
    assertThat(legacyStatements).isEqualTo(4 * N + 1);
    assertThat(set.exitCode).as(set.toString()).isZero();
    assertThat(set.out)
        .isEqualTo(
            "switch dashboard in pid "
                + pid()
                + ": set percentage=100; now ON, diverting 100 % of calls\n");
    assertThat(unified.statements()).isBetween(1L, 5L);
    assertThat(unified.body).isEqualTo(legacy.body);
    JsonNode dashboard = JSON.readTree(status.out).get("switches").get(0);
    assertThat(dashboard.get("name").asText()).isEqualTo("dashboard");
    assertThat(dashboard.get("state").asText()).isEqualTo("ON");
    assertThat(dashboard.get("percentage").asDouble()).isEqualTo(100.0);
    assertThat(dashboard.get("unifiedCalls").asLong()).isEqualTo(1);
    assertThat(dashboard.get("legacyCalls").asLong()).isEqualTo(1);
    assertThat(dashboard.get("fallbackCalls").asLong()).isZero();
    assertThat(dashboard.get("legacyQueriesPerCall").asDouble()).isEqualTo(4 * N + 1);
    assertThat(dashboard.get("unifiedQueriesPerCall").asDouble()).isBetween(1.0, 5.0);
    assertThat(dashboard.get("queryReductionPercent").asDouble()).isGreaterThan(99.5);
    assertThat(dashboard.get("legacyNPlusOneCalls").asLong()).isEqualTo(1);
    assertThat(dashboard.get("unifiedNPlusOneCalls").asLong()).isZero();
    assertThat(table.out)
        .contains("SWITCH     STATE  ENABLED  PERCENT  MODE    LEGACY  UNIFIED  FALLBACK")
        .contains("dashboard  ON     yes      100 %    divert  1       1        0")
        .contains("  " + (4 * N + 1) + " -> ")
        .contains(
            "dashboard: ON, diverting 100 % of calls; rollout: none; calls with N+1 statements:"
                + " legacy 1, unified 0");
    assertThat(JSON.readTree(list.out))
        .anySatisfy(
            jvm -> {
              assertThat(jvm.get("pid").asLong()).isEqualTo(pid());
              assertThat(jvm.get("pathswitch").asText()).isEqualTo(VERSION);
              assertThat(jvm.get("mainClass").asText()).endsWith("sample-target.jar");
            });
    assertThat(sample.jvm.errText())
        .contains("pathswitch " + VERSION + " installed at attach from " + config)
        .contains(
            "switch dashboard: Percentage 0 % -> 100 % (CLI (user "
                + System.getProperty("user.name")
                + ", pid ");
  }

  @Test
  void attachesThroughJcmdWithABarePathAndReplacesThroughJcmdWithQuotedPairs() throws Exception {
    Path bare = dashboard(100);
    Path quoted = dashboard(0);

    Cli first = jcmd(bare.toString());
    awaitConfig(bare);
    Sample.Served unified = sample.dashboard();
    unified.awaitStatements(1);
    long unifiedStatements = unified.statements();
    Cli second = jcmd("\"config=" + quoted + "\"");
    awaitConfig(quoted);
    Sample.Served legacy = sample.dashboard();
    long legacyStatements = legacy.awaitStatements(4 * N + 1);

    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.out).contains("return code: 0");
    assertThat(unifiedStatements).isBetween(1L, 5L);
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.out).contains("return code: 0");
    assertThat(legacyStatements).isEqualTo(4 * N + 1);
    assertThat(sample.jvm.errText())
        .contains("installed at attach from " + bare)
        .contains("installed at attach (configuration replaced) from " + quoted);
  }

  @Test
  void detachRestoresTheOriginalBytecodeAndLeavesNothingBehindAndAttachWorksAgain()
      throws Exception {
    Path config = dashboard(100);
    Cli attach = Cli.run(jdk, "attach", pid(), config);
    Sample.Served unified = sample.dashboard();
    unified.awaitStatements(1);
    Map<String, byte[]> whileAttached = ClassBytes.inJvm(pid(), folder, CHANGED);
    long unifiedStatements = unified.statements();

    Cli detach = Cli.run(jdk, "detach", pid());
    Sample.Served legacy = sample.dashboard();
    long legacyStatements = legacy.awaitStatements(4 * N + 1);
    Map<String, byte[]> afterDetach = ClassBytes.inJvm(pid(), folder, CHANGED);
    List<String> beans;
    List<String> threads;
    try (Jmx jmx = Jmx.connect(pid())) {
      beans = beans(jmx, "io.pathswitch:*");
      beans.addAll(beans(jmx, "pathswitch.metrics:*"));
      threads = threadNames(jmx);
    }
    Cli list = Cli.run(jdk, "list", "--json");
    Cli again = Cli.run(jdk, "attach", pid(), config);
    Sample.Served unifiedAgain = sample.dashboard();
    unifiedAgain.awaitStatements(1);

    assertThat(attach.exitCode).as(attach.toString()).isZero();
    assertThat(unifiedStatements).isBetween(1L, 5L);
    for (String changed : CHANGED) {
      assertThat(ClassBytes.methodBodies(whileAttached.get(changed)))
          .as("the agent changed %s, and reading it back shows that", changed)
          .isNotEqualTo(original(changed));
    }
    assertThat(detach.exitCode).as(detach.toString()).isZero();
    assertThat(detach.out)
        .isEqualTo(
            "pid "
                + pid()
                + ": pathswitch detached: original bytecode restored; the application runs on"
                + " its legacy paths\n");
    assertThat(legacyStatements).isEqualTo(4 * N + 1);
    for (String changed : CHANGED) {
      assertThat(ClassBytes.methodBodies(afterDetach.get(changed)))
          .as("%s as the sample's jar holds it", changed)
          .containsExactlyEntriesOf(original(changed));
    }
    assertThat(beans).isEmpty();
    assertThat(threads).doesNotContain("pathswitch");
    assertThat(JSON.readTree(list.out))
        .anySatisfy(
            jvm -> {
              assertThat(jvm.get("pid").asLong()).isEqualTo(pid());
              assertThat(jvm.get("pathswitch").isNull()).isTrue();
            });
    assertThat(again.exitCode).as(again.toString()).isZero();
    assertThat(again.out).startsWith("attached pathswitch");
    assertThat(unifiedAgain.statements()).isBetween(1L, 5L);
  }

  @Test
  void decidesEachCallOnceAfterASecondAttachAndKeepsTheSwitchsFigures() throws Exception {
    Path config = dashboard(0);
    Cli first = Cli.run(jdk, "attach", pid(), "config=" + config);
    sample.dashboard().awaitStatements(4 * N + 1);

    Cli second = Cli.run(jdk, "attach", pid(), "config=" + config);
    Sample.Served legacy = sample.dashboard();
    long legacyStatements = legacy.awaitStatements(4 * N + 1);
    long legacyAfterLegacy = count("LegacyCalls");
    long unifiedAfterLegacy = count("UnifiedCalls");
    Cli set = Cli.run(jdk, "set", pid(), "dashboard", "percentage=100");
    Sample.Served unified = sample.dashboard();
    unified.awaitStatements(1);
    long legacyAfterUnified = count("LegacyCalls");
    long unifiedAfterUnified = count("UnifiedCalls");

    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.out)
        .startsWith(
            "replaced the configuration of pathswitch "
                + VERSION
                + " in pid "
                + pid()
                + " with "
                + config);
    assertThat(legacyStatements).isEqualTo(4 * N + 1);
    assertThat(legacyAfterLegacy).isEqualTo(2);
    assertThat(unifiedAfterLegacy).isZero();
    assertThat(set.exitCode).as(set.toString()).isZero();
    assertThat(unified.statements()).isBetween(1L, 5L);
    assertThat(legacyAfterUnified).isEqualTo(2);
    assertThat(unifiedAfterUnified).isEqualTo(1);
  }

  @Test
  void advancesRollsBackAndResumesARolloutFromTheCommandLine() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
            "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.rollout = 10% for 1h, 50% for 1h, 100%");
    Cli attach = Cli.run(jdk, "attach", pid(), config);

    Cli advance = Cli.run(jdk, "advance", pid(), "dashboard", "--json");
    Cli rollback = Cli.run(jdk, "rollback", pid(), "dashboard");
    Object[] rolledBack = attributes("State", "Percentage");
    Cli resume = Cli.run(jdk, "resume", pid(), "dashboard");
    Object[] resumed = attributes("State", "Percentage");

    assertThat(attach.exitCode).as(attach.toString()).isZero();
    assertThat(advance.exitCode).as(advance.toString()).isZero();
    JsonNode advanced = JSON.readTree(advance.out).get("status");
    assertThat(advanced.get("percentage").asDouble()).isEqualTo(50.0);
    assertThat(advanced.get("rolloutStep").asText()).startsWith("step 2 of 3: 50% for 1h");
    assertThat(rollback.exitCode).as(rollback.toString()).isZero();
    assertThat(rollback.out).startsWith("switch dashboard in pid " + pid() + ": rollback done;");
    assertThat(rolledBack).containsExactly("PAUSED", 0.0);
    assertThat(resume.exitCode).as(resume.toString()).isZero();
    assertThat(resumed).containsExactly("ON", 50.0);
    assertThat(sample.jvm.errText())
        .contains("advance by CLI (user " + System.getProperty("user.name"))
        .contains("rollback by CLI (user " + System.getProperty("user.name"))
        .contains("resume by CLI (user " + System.getProperty("user.name"));
  }

  @Test
  void failsWithOneLineAndExitCodeOneOrShowsTheUsageWithTwo() throws Exception {
    Path config = dashboard(0);
    Cli attach = Cli.run(jdk, "attach", pid(), "config=" + config);

    Cli noSuchPid = Cli.run(jdk, "attach", "999999999", "config=" + config);
    Cli unknownSwitch = Cli.run(jdk, "set", pid(), "dashbord", "percentage=100");
    Cli outOfRange = Cli.run(jdk, "set", pid(), "dashboard", "percentage=150");
    Cli help = Cli.run(jdk, "set", "--help");
    Cli badUsage = Cli.run(jdk, "set", pid());
    Object[] after = attributes("Percentage");

    assertThat(attach.exitCode).as(attach.toString()).isZero();
    assertThat(noSuchPid.exitCode).isEqualTo(1);
    assertThat(noSuchPid.err).isEqualTo("pathswitch attach: no process with pid 999999999\n");
    assertThat(noSuchPid.took).isLessThan(Duration.ofSeconds(5));
    assertThat(unknownSwitch.exitCode).isEqualTo(1);
    assertThat(unknownSwitch.err)
        .isEqualTo(
            "pathswitch set: pid "
                + pid()
                + " has no switch 'dashbord'; its switches: dashboard\n");
    assertThat(outOfRange.exitCode).isEqualTo(1);
    assertThat(outOfRange.err)
        .isEqualTo(
            "pathswitch set: switch dashboard: percentage = '150': expected a percentage from 0"
                + " to 100\n");
    assertThat(after).as("nothing changed").containsExactly(0.0);
    assertThat(help.exitCode).isZero();
    assertThat(help.out).contains("Usage: pathswitch set [-hV] [--json] <pid> <switch> key=value");
    assertThat(badUsage.exitCode).isEqualTo(2);
    assertThat(badUsage.err)
        .startsWith("Missing required parameters: '<switch>', 'key=value'")
        .contains("Usage: pathswitch set");
  }

  /**
   * A JVM started with {@code -javaagent} takes a new configuration by attach without a second
   * instrumentation, and a detach resets every transformation with the instrumentation it was
   * installed with: the launch's and the attach's are different objects. Started without {@code
   * -XX:+EnableDynamicAgentLoading}, to show the warning Java 21+ prints.
   */
  @Test
  void replacesTheConfigurationOfAnAgentGivenAtLaunchAndDetachesCleanly() throws Exception {
    int n = 20;
    List<String> options = new ArrayList<>(Sample.agent(dashboard(0)));
    try (Sample launched = Sample.start(jdk.java(), options, n, "--log-sql");
        Jmx jmx = LaunchIT.awaitJmx(launched)) {
      long atLaunch = launched.dashboard().awaitStatements(4 * n + 1);

      Cli attach = Cli.run(jdk, "attach", launched.jvm.pid(), dashboard(100));
      Sample.Served unified = launched.dashboard();
      unified.awaitStatements(1);
      long unifiedCalls = jmx.count("dashboard", "UnifiedCalls");
      long legacyCalls = jmx.count("dashboard", "LegacyCalls");
      long unifiedStatements = unified.statements();
      Cli detach = Cli.run(jdk, "detach", launched.jvm.pid());
      long afterDetach = launched.dashboard().awaitStatements(4 * n + 1);
      Map<String, byte[]> restored = ClassBytes.inJvm(launched.jvm.pid(), folder, CHANGED);

      assertThat(atLaunch).isEqualTo(4 * n + 1);
      assertThat(attach.exitCode).as(attach.toString()).isZero();
      assertThat(attach.out).startsWith("replaced the configuration of pathswitch");
      assertThat(unifiedStatements).isBetween(1L, 5L);
      assertThat(unifiedCalls).isEqualTo(1);
      assertThat(legacyCalls).isEqualTo(1);
      assertThat(detach.exitCode).as(detach.toString()).isZero();
      assertThat(afterDetach).isEqualTo(4 * n + 1);
      for (String changed : CHANGED) {
        assertThat(ClassBytes.methodBodies(restored.get(changed)))
            .as("%s as the sample's jar holds it", changed)
            .containsExactlyEntriesOf(original(changed));
      }
      if (jdk.major() >= 21) {
        assertThat(launched.jvm.err())
            .contains(
                "WARNING: A Java agent has been loaded dynamically (" + Jvm.AGENT_JAR + ")",
                "WARNING: If a serviceability tool is in use, please run with"
                    + " -XX:+EnableDynamicAgentLoading to hide this warning");
      }
      assertThat(launched.jvm.errText()).doesNotContain("sun.misc.Unsafe");
    }
  }

  @Test
  void switchesALegacyClassThatLoadsOnlyAfterTheAttach() throws Exception {
    String greeter = "io.pathswitch.it.apps.LateLoadingApp$Greeter";
    Path config =
        Sample.config(
            folder,
            "switch.greeting.legacy = " + greeter + "#greet",
            "switch.greeting.unified = " + greeter + "#greetUnified",
            "switch.greeting.enabled = true");
    List<String> command = new ArrayList<>(jdk.attachable());
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "io.pathswitch.it.apps.LateLoadingApp"));
    try (Jvm app = Jvm.start(jdk.java(), command);
        var input = app.process().outputWriter()) {
      app.awaitLine("ready"::equals, Jvm.START);

      Cli attach = Cli.run(jdk, "attach", app.pid(), config);
      input.write("greet\n");
      input.flush();
      app.awaitLine(line -> line.startsWith("greeting: "), Duration.ofSeconds(30));
      Cli status = Cli.run(jdk, "status", app.pid(), "--json");

      assertThat(attach.exitCode).as(attach.toString()).isZero();
      assertThat(attach.out)
          .contains("greeting: ON, waiting for " + greeter + " to load; rollout: none");
      assertThat(app.out()).contains("greeting: unified");
      JsonNode greeting = JSON.readTree(status.out).get("switches").get(0);
      assertThat(greeting.get("unifiedCalls").asLong()).isEqualTo(1);
      assertThat(greeting.get("reason").asText()).isEqualTo("diverting 100 % of calls");
    }
  }

  private static Map<String, String> original(String className) throws IOException {
    return ClassBytes.methodBodies(ClassBytes.inJar(Jvm.SAMPLE_JAR, className));
  }

  private long pid() {
    return sample.jvm.pid();
  }

  private Path dashboard(double percentage) throws IOException {
    return Sample.config(
        folder,
        "switch.dashboard.legacy = " + SERVICE + "#buildDashboard",
        "switch.dashboard.unified = " + ENGINE + "#buildDashboard",
        "switch.dashboard.enabled = true",
        "switch.dashboard.percentage = " + percentage);
  }

  /** The dashboard switch's attributes, read over JMX where the command line is not tested. */
  private Object[] attributes(String... names) throws Exception {
    try (Jmx jmx = Jmx.connect(pid())) {
      Object[] values = new Object[names.length];
      for (int i = 0; i < names.length; i++) {
        values[i] = jmx.get("dashboard", names[i]);
      }
      return values;
    }
  }

  private long count(String attribute) throws Exception {
    return ((Number) attributes(attribute)[0]).longValue();
  }

  private Cli jcmd(String argument) throws Exception {
    return Cli.exec(
        List.of(
            jdk.jcmd(),
            Long.toString(pid()),
            "JVMTI.agent_load",
            Jvm.AGENT_JAR.toString(),
            argument));
  }

  /** Waits until the agent runs {@code config} and its switch's bean is up. */
  private void awaitConfig(Path config) throws Exception {
    try (Jmx jmx = Jmx.connect(pid())) {
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(
              () ->
                  config.toString().equals(jmx.server().getAttribute(AGENT, "ConfigFile"))
                      && jmx.registered("dashboard"));
    }
  }

  private static List<String> beans(Jmx jmx, String pattern) throws Exception {
    return jmx.server().queryNames(new ObjectName(pattern), null).stream()
        .map(ObjectName::toString)
        .collect(Collectors.toCollection(ArrayList::new));
  }

  private static List<String> threadNames(Jmx jmx) throws Exception {
    ThreadMXBean threads =
        JMX.newMXBeanProxy(
            jmx.server(), new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME), ThreadMXBean.class);
    return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
        .filter(info -> info != null)
        .map(info -> info.getThreadName())
        .collect(Collectors.toList());
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
