package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults inside the agent, in real JVMs with the real jar: JMX that refuses it, a state file that
 * cannot be written, a unified class that cannot initialise. The switch keeps deciding or falls
 * back to the legacy path, nothing reaches the application, and one warning says what broke.
 */
class FaultsIT {

  private static final String APP = "io.pathswitch.it.apps.ConsoleApp";
  private static final String GREETER = "io.pathswitch.it.apps.ConsoleApp$Greeter";
  private static final String SWITCH_BEAN = "io.pathswitch:type=Switch,name=greeter";

  @TempDir Path folder;

  @Test
  void leavesAForeignBeanUnderTheSwitchNameInPlaceAndWarnsOnce() throws Exception {
    Path config = config(folder);

    try (Jvm app = Jvm.app(null, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      String registered = command(app, input, "foreign " + SWITCH_BEAN);
      LoadIT.attach(app.pid(), config);
      app.awaitLine(line -> line.contains("could not register"), Jvm.START);
      String registeredByAgent = command(app, input, "bean io.pathswitch:type=Agent");
      String answers = command(app, input, "call 10");
      String beanWhileAttached = command(app, input, "bean " + SWITCH_BEAN);
      String detached;
      try (Jmx jmx = Jmx.connect(app.pid())) {
        detached =
            (String)
                jmx.server()
                    .invoke(
                        new ObjectName("io.pathswitch:type=Agent"),
                        "detach",
                        new Object[0],
                        new String[0]);
      }
      String beanAfterDetach = command(app, input, "bean " + SWITCH_BEAN);

      assertThat(registered).isEqualTo("foreign: registered");
      assertThat(registeredByAgent).isEqualTo("bean: io.pathswitch.Operator$AgentBean");
      assertThat(answers).isEqualTo("call: legacy=0 unified=10 exceptions=0");
      assertThat(beanWhileAttached).isEqualTo("bean: io.pathswitch.it.apps.ConsoleApp$Foreign");
      assertThat(detached).startsWith("pathswitch detached: original bytecode restored");
      assertThat(beanAfterDetach).isEqualTo("bean: io.pathswitch.it.apps.ConsoleApp$Foreign");
      assertThat(warnings(app))
          .singleElement()
          .asString()
          .contains(
              "could not register in JMX the bean of switch greeter, "
                  + SWITCH_BEAN
                  + ": the name is already registered by"
                  + " io.pathswitch.it.apps.ConsoleApp$Foreign, which stays; the switches work");
    }
  }

  @Test
  void keepsSwitchingWhenTheMBeanServerRefusesTheAgentsBeansAndMeters() throws Exception {
    Path config = config(folder);

    try (Jvm app =
            Jvm.start(
                List.of(
                    "-Djavax.management.builder.initial=io.pathswitch.it.apps.RefusingServerBuilder",
                    "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config,
                    "-cp",
                    System.getProperty("java.class.path"),
                    APP));
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      app.awaitLine(line -> line.contains(" WARN "), Jvm.START);
      String answers = command(app, input, "call 10");
      String set = command(app, input, "set greeter Percentage 0");
      String answersAfter = command(app, input, "call 10");

      assertThat(answers).isEqualTo("call: legacy=0 unified=10 exceptions=0");
      assertThat(set).startsWith("set: refused javax.management.InstanceNotFoundException");
      assertThat(answersAfter).isEqualTo(answers);
      assertThat(warnings(app))
          .singleElement()
          .asString()
          .contains("the agent's bean io.pathswitch:type=Agent: java.lang.SecurityException")
          .contains("the bean of switch greeter")
          .contains("the Micrometer meters (pathswitch.metrics): java.lang.SecurityException")
          .contains("the switches work");
    }
  }

  @Test
  void warnsOnceWhenTheStateFolderIsReadOnlyAndKeepsEveryChange() throws Exception {
    Path stateFolder = Files.createDirectory(folder.resolve("state"));
    Path config = config(folder, "state.file = " + stateFolder.resolve("state.properties"));
    readOnly(stateFolder);

    try (Jvm app = Jvm.command(Users.asOtherUserWhenRoot(Users.agentJvm(config, APP)));
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      awaitBean(app, input);
      List<String> sets = new ArrayList<>();
      for (int percentage : new int[] {10, 20, 0}) {
        sets.add(command(app, input, "set greeter Percentage " + percentage));
      }
      app.awaitLine(line -> line.contains("Percentage 20 % -> 0 %"), Duration.ofSeconds(10));
      String answers = command(app, input, "call 10");
      String enabled = command(app, input, "set greeter Percentage 100");
      String answersAfter = command(app, input, "call 10");

      assertThat(sets).containsOnly("set: ok");
      assertThat(answers).isEqualTo("call: legacy=10 unified=0 exceptions=0");
      assertThat(enabled).isEqualTo("set: ok");
      assertThat(answersAfter).isEqualTo("call: legacy=0 unified=10 exceptions=0");
      assertThat(Files.exists(stateFolder.resolve("state.properties"))).isFalse();
      assertThat(warnings(app))
          .singleElement()
          .asString()
          .contains("cannot write the state file " + stateFolder.resolve("state.properties"))
          .contains("the switches work");
    }
  }

  @Test
  void fallsBackAndNamesTheCauseOnceWhenTheUnifiedClassCannotInitialise() throws Exception {
    Path config =
        config(
            folder,
            "switch.greeter.unified = io.pathswitch.it.apps.ConsoleApp$BrokenEngine#greet",
            "switch.greeter.trip.min-calls = 200",
            "switch.greeter.trip.window = 200");

    try (Jvm app = Jvm.app(config, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      String answers = command(app, input, "call 50");
      String more = command(app, input, "call 50");

      assertThat(answers).isEqualTo("call: legacy=50 unified=0 exceptions=0");
      assertThat(more).isEqualTo(answers);
      assertThat(warnings(app))
          .singleElement()
          .asString()
          .contains("switch greeter: the unified path")
          .contains(
              "java.lang.ExceptionInInitializerError, caused by"
                  + " java.lang.IllegalStateException: no licence for the unified engine")
          .contains("the legacy path answered the call");
    }
  }

  /** A config with the greeter switch on at 100 %; {@code lines} add to it or override it. */
  static Path config(Path folder, String... lines) throws IOException {
    List<String> all = new ArrayList<>();
    all.add("switch.greeter.legacy = " + GREETER + "#greet");
    if (List.of(lines).stream().noneMatch(line -> line.startsWith("switch.greeter.unified"))) {
      all.add("switch.greeter.unified = " + GREETER + "#greetUnified");
    }
    all.add("switch.greeter.enabled = true");
    all.addAll(List.of(lines));
    Path config = Sample.config(folder, all.toArray(String[]::new));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    return config;
  }

  /** Sends one command and returns the line that answers it. */
  static String command(Jvm app, BufferedWriter input, String command) throws IOException {
    String name = command.split(" ", 2)[0] + ": ";
    long before = app.out().stream().filter(line -> line.startsWith(name)).count();
    input.write(command + "\n");
    input.flush();
    app.awaitLine(
        line -> app.out().stream().filter(l -> l.startsWith(name)).count() > before,
        Duration.ofSeconds(30));
    return app.out().stream().filter(line -> line.startsWith(name)).skip(before).findFirst().get();
  }

  /** Waits until the agent has registered the switch's bean (it does so on its own thread). */
  static void awaitBean(Jvm app, BufferedWriter input) {
    await()
        .atMost(Jvm.START)
        .until(() -> !command(app, input, "bean " + SWITCH_BEAN).equals("bean: absent"));
  }

  /** The agent's warnings on standard error. */
  static List<String> warnings(Jvm app) {
    return app.err().stream().filter(line -> line.contains(" WARN ")).collect(Collectors.toList());
  }

  private void readOnly(Path stateFolder) throws IOException {
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(stateFolder, PosixFilePermissions.fromString("r-xr-xr-x"));
  }
}
