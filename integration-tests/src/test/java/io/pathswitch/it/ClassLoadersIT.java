package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class loaders of the application's own, as application servers make them for web applications, in
 * real JVMs with the real jar ({@code apps.LoaderApp}).
 *
 * <p>The agent binds a switch to each loaded copy of its legacy class separately: each copy calls
 * the unified method that its own class loader sees, and all copies count in the one switch and
 * follow its one set of flags. A copy that does not fit (its loader lacks the unified class, say)
 * makes the switch INVALID, for every copy.
 */
class ClassLoadersIT {

  private static final String APP = "io.pathswitch.it.apps.LoaderApp";

  @TempDir Path folder;

  @Test
  void collectsADroppedClassLoaderWhoseClassTheSwitchDiverted() throws Exception {
    Path config = config();

    try (Jvm app = Jvm.app(config, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      FaultsIT.command(app, input, "load webapp " + Users.testClasses());
      String answer = FaultsIT.command(app, input, "call webapp");
      String dropped = FaultsIT.command(app, input, "drop webapp");

      assertThat(answer).isEqualTo("call: unified from webapp");
      assertThat(dropped).isEqualTo("drop: collected");
    }
  }

  @Test
  void collectsADroppedClassLoaderWhoseLoadedClassAnAttachRetransformed() throws Exception {
    Path config = config();

    try (Jvm app = Jvm.app(null, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      FaultsIT.command(app, input, "load webapp " + Users.testClasses());
      String before = FaultsIT.command(app, input, "call webapp");
      LoadIT.attach(app.pid(), config);
      String after = FaultsIT.command(app, input, "call webapp");
      String dropped = FaultsIT.command(app, input, "drop webapp");

      assertThat(before).isEqualTo("call: legacy from webapp");
      assertThat(after).isEqualTo("call: unified from webapp");
      assertThat(dropped).isEqualTo("drop: collected");
    }
  }

  @Test
  void switchesTheSameClassInTwoLoadersEachToTheUnifiedMethodItsLoaderSees() throws Exception {
    Path config = config();

    try (Jvm app = Jvm.app(config, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      FaultsIT.command(app, input, "load webapp-a " + Users.testClasses());
      FaultsIT.command(app, input, "load webapp-b " + Users.testClasses());
      String a = FaultsIT.command(app, input, "call webapp-a");
      String b = FaultsIT.command(app, input, "call webapp-b");
      String state = state(app, input);

      assertThat(a).isEqualTo("call: unified from webapp-a");
      assertThat(b).isEqualTo("call: unified from webapp-b");
      assertThat(state).isEqualTo("state: ON 2");
    }
  }

  @Test
  void sendsEveryCopyToTheLegacyPathOnceOneCopyDoesNotFit() throws Exception {
    Path config = config();
    Path old = folder.resolve("old-webapp");
    Path plugin = Path.of("io", "pathswitch", "it", "plugin", "Plugin.class");
    Files.createDirectories(old.resolve(plugin).getParent());
    Files.copy(Users.testClasses().resolve(plugin), old.resolve(plugin));

    try (Jvm app = Jvm.app(config, APP);
        BufferedWriter input = app.stdin()) {
      app.awaitLine("ready"::equals, Jvm.START);
      FaultsIT.command(app, input, "load webapp-a " + Users.testClasses());
      FaultsIT.command(app, input, "load webapp-b " + old);
      String a = FaultsIT.command(app, input, "call webapp-a");
      String b = FaultsIT.command(app, input, "call webapp-b");
      String aAgain = FaultsIT.command(app, input, "call webapp-a");
      String state = state(app, input);

      assertThat(a).isEqualTo("call: unified from webapp-a");
      assertThat(b).isEqualTo("call: legacy from webapp-b");
      assertThat(aAgain).isEqualTo("call: legacy from webapp-a");
      assertThat(state).isEqualTo("state: INVALID 1");
      assertThat(FaultsIT.warnings(app))
          .singleElement()
          .asString()
          .contains(
              "switch plugin is INVALID (switch.plugin.unified ="
                  + " 'io.pathswitch.it.plugin.PluginEngine#answer'): unified class"
                  + " io.pathswitch.it.plugin.PluginEngine is not visible from the class loader of"
                  + " io.pathswitch.it.plugin.Plugin");
    }
  }

  private Path config() throws Exception {
    return Sample.config(
        folder,
        "switch.plugin.legacy = io.pathswitch.it.plugin.Plugin#answer",
        "switch.plugin.unified = io.pathswitch.it.plugin.PluginEngine#answer",
        "switch.plugin.enabled = true");
  }

  /** The switch's state, once the agent has registered its bean (2 s after launch). */
  private static String state(Jvm app, BufferedWriter input) {
    return await()
        .atMost(Jvm.START)
        .until(() -> FaultsIT.command(app, input, "state"), line -> !line.contains("failed"));
  }
}
