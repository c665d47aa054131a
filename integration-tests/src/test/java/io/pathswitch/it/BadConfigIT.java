package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A bad configuration never stops the application: it starts, serves on its legacy path, and
 * standard error names the key and the value.
 */
class BadConfigIT {

  private static final String SERVICE = "io.pathswitch.sample.dashboard.DashboardService";
  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";

  @TempDir Path folder;

  static Stream<Arguments> badConfigurations() {
    String legacy = "switch.dashboard.legacy = " + SERVICE + "#buildDashboard";
    String unified = "switch.dashboard.unified = " + ENGINE + "#buildDashboard";
    String enabled = "switch.dashboard.enabled = true";
    return Stream.of(
        Arguments.of(
            "unknown key",
            new String[] {legacy, unified, enabled, "switch.dashboard.percentag = 5"},
            "switch.dashboard.percentag = '5': unknown key; did you mean"
                + " switch.dashboard.percentage?"),
        Arguments.of(
            "percentage 150",
            new String[] {legacy, unified, enabled, "switch.dashboard.percentage = 150"},
            "switch.dashboard.percentage = '150': expected a percentage from 0 to 100"),
        Arguments.of(
            "missing class",
            new String[] {"switch.dashboard.legacy = com.example.Missing#run", unified, enabled},
            "class com.example.Missing (switch.dashboard.legacy = 'com.example.Missing#run') is"
                + " neither loaded nor on the application class path"),
        Arguments.of(
            "missing unified class",
            new String[] {legacy, "switch.dashboard.unified = com.example.Missing#run", enabled},
            "switch dashboard is INVALID (switch.dashboard.unified = 'com.example.Missing#run'):"
                + " unified class com.example.Missing is not visible"),
        Arguments.of(
            "return type that does not fit",
            new String[] {
              legacy, "switch.dashboard.unified = " + ENGINE + "#representativeSummary", enabled
            },
            "switch dashboard is INVALID (switch.dashboard.unified = '"
                + ENGINE
                + "#representativeSummary'): unified "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigurations")
  void startsAndServesOnTheLegacyPath(String name, String[] lines, String expected)
      throws Exception {
    Path config = Sample.config(folder, lines);

    try (Sample sample = Sample.start(Sample.agent(config), 10, "--log-sql")) {
      Sample.Served served = sample.dashboard();
      long statements = served.awaitStatements(41);

      assertThat(served.status).isEqualTo(200);
      assertThat(statements).isEqualTo(41);
      assertThat(sample.jvm.errText()).contains(expected);
    }
  }

  @Test
  void startsWhenTheFileDoesNotExist() throws Exception {
    Path missing = folder.resolve("nowhere.properties");

    try (Sample sample = Sample.start(Sample.agent(missing), 10)) {
      Sample.Served served = sample.dashboard();

      assertThat(served.status).isEqualTo(200);
      assertThat(sample.jvm.errText())
          .contains(missing + ": cannot read the file")
          .contains("the application runs untouched");
    }
  }

  @Test
  void startsWhenTheFileIsAFolder() throws Exception {
    Path notAFile = Files.createDirectory(folder.resolve("a-folder.properties"));

    try (Sample sample = Sample.start(Sample.agent(notAFile), 10)) {
      Sample.Served served = sample.dashboard();

      assertThat(served.status).isEqualTo(200);
      assertThat(sample.jvm.errText())
          .contains(notAFile + ": cannot read the file")
          .contains("the application runs untouched");
    }
  }

  @Test
  void refusesAnOverloadedNameWithoutParametersAndListsTheCandidates() throws Exception {
    Path config =
        Sample.config(
            folder,
            "switch.router.legacy = io.pathswitch.it.apps.KeyedApp$Router#route",
            "switch.router.unified = io.pathswitch.it.apps.KeyedApp$Router#routeUnified",
            "switch.router.enabled = true");

    try (Jvm app = LaunchIT.testApp(config, "io.pathswitch.it.apps.OwnLibrariesApp")) {
      int exit = app.waitForExit(Jvm.START);

      assertThat(exit).isZero();
      assertThat(app.outText()).contains("greeting: legacy");
      assertThat(app.errText())
          .contains(
              "switch router is INVALID (switch.router.legacy ="
                  + " 'io.pathswitch.it.apps.KeyedApp$Router#route'): route is overloaded on"
                  + " io.pathswitch.it.apps.KeyedApp$Router: route(long),"
                  + " route(java.lang.String); give the parameter list in switch.router.legacy");
    }
  }

  @Test
  void installsNothingWhereAnotherVersionsBootstrapClassesAreInPlace() throws Exception {
    // What an agent of the first revision leaves in a JVM it was attached to: a Routes class
    // without the REVISION field, which no restart-less attach can replace.
    Path jar = folder.resolve("first-revision-bootstrap.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("io/pathswitch/bootstrap/Routes.class"));
      out.write(emptyClass("io/pathswitch/bootstrap/Routes"));
      out.closeEntry();
    }
    Path config =
        Sample.config(
            folder,
            "switch.dashboard.legacy = io.pathswitch.sample.dashboard.DashboardService"
                + "#buildDashboard",
            "switch.dashboard.unified = io.pathswitch.sample.dashboard.UnifiedDashboardEngine"
                + "#buildDashboard",
            "switch.dashboard.enabled = true",
            "switch.dashboard.percentage = 100");
    List<String> options = new ArrayList<>();
    options.add("-Xbootclasspath/a:" + jar);
    options.addAll(Sample.agent(config));

    try (Sample sample = Sample.start(options, 10, "--log-sql")) {
      Sample.Served served = sample.dashboard();
      long statements = served.awaitStatements(41);

      assertThat(served.status).isEqualTo(200);
      assertThat(statements).isEqualTo(41);
      assertThat(sample.jvm.errText())
          .contains(
              "installed nothing at launch: this JVM holds the bootstrap classes of another"
                  + " pathswitch version (revision 1, this agent needs 4), which only a restart"
                  + " replaces; restart the JVM to use this version")
          .contains("the application runs untouched on its legacy paths");
    }
  }

  private static byte[] emptyClass(String internalName) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL,
        internalName,
        null,
        "java/lang/Object",
        null);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
