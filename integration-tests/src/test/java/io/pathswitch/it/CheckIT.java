package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code check} on the sample's jar, with the real shaded jar, on each JDK found. */
class CheckIT {

  private static final String ENGINE = "io.pathswitch.sample.dashboard.UnifiedDashboardEngine";

  @TempDir Path folder;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.pathswitch.it.Jdk#forTests")
  void passesOnTheSamplesJarAndItsConfiguration(Jdk jdk) throws Exception {
    Assumptions.assumeTrue(jdk.present(), jdk.missingReason());

    Cli check = Cli.run(jdk, "check", Jvm.SAMPLE_CONFIG, "--classpath", Jvm.SAMPLE_JAR);

    assertThat(check.exitCode).as(check.toString()).isZero();
    assertThat(check.out)
        .contains(
            "dashboard       fits    io.pathswitch.sample.dashboard.DashboardService"
                + "#buildDashboard() -> "
                + ENGINE
                + "#buildDashboard(io.pathswitch.sample.dashboard.DashboardService), static with"
                + " receiver")
        .endsWith("all 2 switches fit\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.pathswitch.it.Jdk#forTests")
  void namesTheSwitchTheMethodAndTheNearestNamesOfAMisspelledMethod(Jdk jdk) throws Exception {
    Assumptions.assumeTrue(jdk.present(), jdk.missingReason());
    Path typo = folder.resolve("typo.properties");
    Files.writeString(
        typo,
        Files.readString(Jvm.SAMPLE_CONFIG)
            .replace(ENGINE + "#buildDashboard", ENGINE + "#buildDashbord"));

    Cli check = Cli.run(jdk, "check", typo, "--classpath", Jvm.SAMPLE_JAR);

    assertThat(check.exitCode).as(check.toString()).isEqualTo(1);
    assertThat(check.out)
        .contains(
            "dashboard       does not fit  switch.dashboard.unified = '"
                + ENGINE
                + "#buildDashbord': no method buildDashbord on "
                + ENGINE
                + "; nearest: buildDashboard, ")
        .contains("representative  fits")
        .endsWith("1 of 2 switches does not fit: dashboard\n");
  }
}
