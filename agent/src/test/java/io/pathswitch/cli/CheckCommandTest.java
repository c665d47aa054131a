package io.pathswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.instrumentation.TestInstrumentation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} on the fixtures' class files, as a folder and as a jar. */
class CheckCommandTest {

  private static final String PRICING = "io.pathswitch.fixtures.Pricing";
  private static final String ENGINE = "io.pathswitch.fixtures.PricingEngine";
  private static final String CATALOGUE = "io.pathswitch.fixtures.Catalogue";

  @TempDir Path folder;

  @Test
  void passesWhenEverySwitchFitsAndSaysHowTheUnifiedMethodIsCalled() throws Exception {
    Path config =
        config(
            "switch.same.legacy = " + PRICING + "#price",
            "switch.same.unified = " + PRICING + "#priceUnified",
            "switch.static.legacy = " + PRICING + "#label",
            "switch.static.unified = " + ENGINE + "#label",
            "switch.receiver.legacy = " + PRICING + "#touch",
            "switch.receiver.unified = " + ENGINE + "#touch",
            "switch.fresh.legacy = " + PRICING + "#quote(long)",
            "switch.fresh.unified = " + ENGINE + "#quote");

    Cli cli = Cli.run("check", config.toString(), "--classpath", classes().toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out)
        .contains(
            "same      fits    "
                + PRICING
                + "#price(long) -> "
                + PRICING
                + "#priceUnified(long), same instance")
        .contains(ENGINE + "#label(java.lang.String,int), static\n")
        .contains(ENGINE + "#touch(" + PRICING + ",java.util.List), static with receiver\n")
        .contains(ENGINE + "#quote(long), new instance\n")
        .endsWith("all 4 switches fit\n");
  }

  @Test
  void namesTheSwitchTheMethodAndTheNearestNamesOfAMisspelledMethod() throws Exception {
    Path config =
        config(
            "switch.typo.legacy = " + PRICING + "#pricee",
            "switch.typo.unified = " + PRICING + "#priceUnified",
            "switch.fine.legacy = " + PRICING + "#price",
            "switch.fine.unified = " + PRICING + "#priceUnified");

    Cli cli = Cli.run("check", config.toString(), "--classpath", classes().toString());

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.out)
        .contains(
            "does not fit  switch.typo.legacy = '"
                + PRICING
                + "#pricee': no method pricee on "
                + PRICING
                + "; nearest: price, ")
        .endsWith("1 of 2 switches does not fit: typo\n");
  }

  @Test
  void judgesAsTheAgentDoes() throws Exception {
    Path config =
        config(
            "switch.overloaded.legacy = " + PRICING + "#quote",
            "switch.overloaded.unified = " + ENGINE + "#quote",
            "switch.returns.legacy = " + PRICING + "#price",
            "switch.returns.unified = " + ENGINE + "#wrongType",
            "switch.jdk.legacy = java.lang.String#trim",
            "switch.jdk.unified = " + ENGINE + "#quote",
            "switch.missing.legacy = com.example.Missing#run",
            "switch.missing.unified = " + ENGINE + "#quote");

    Cli cli = Cli.run("check", config.toString(), "--classpath", classes().toString(), "--json");

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.out)
        .startsWith("{\"config\":\"" + config + "\",\"classPath\":[\"" + classes() + "\"]")
        .contains("\"fits\":false,\"switches\":[")
        // the agent's own words, as InstallerTest shows them
        .contains(
            "quote is overloaded on io.pathswitch.fixtures.Pricing: quote(long),"
                + " quote(java.lang.String); give the parameter list in"
                + " switch.overloaded.legacy, e.g. io.pathswitch.fixtures.Pricing#quote(long)")
        .contains("returns java.lang.Integer, legacy returns long")
        .contains("java.lang.String belongs to the JDK, whose methods pathswitch never switches")
        .contains("class com.example.Missing is not on the class path given");
  }

  @Test
  void readsJarsAsFolders() throws Exception {
    Path jar = fixturesJar();
    Path config =
        config(
            "switch.same.legacy = " + PRICING + "#price",
            "switch.same.unified = " + PRICING + "#priceUnified");

    Cli cli = Cli.run("check", config.toString(), "--classpath", "/nowhere:" + jar);

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err)
        .isEqualTo("pathswitch check: class path entry /nowhere: no such jar or folder\n");

    Cli fromJar = Cli.run("check", config.toString(), "-cp", jar.toString());

    assertThat(fromJar.exitCode).as(fromJar.toString()).isZero();
    assertThat(fromJar.out).endsWith("the switch fits\n");
  }

  @Test
  void neitherLoadsNorInitialisesTheApplicationsClassesAndReadsTheJdksOwn() throws Exception {
    Path config =
        config(
            "switch.names.legacy = " + CATALOGUE + "#names",
            "switch.names.unified = " + CATALOGUE + "#namesUnified");

    Cli cli = Cli.run("check", config.toString(), "--classpath", classes().toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(System.getProperty("pathswitch.test.catalogue.initialised")).isNull();
    assertThat(TestInstrumentation.get().getAllLoadedClasses())
        .noneMatch(type -> type.getName().equals(CATALOGUE));
  }

  @Test
  void printsEveryProblemOfAConfigWithErrors() throws Exception {
    Path config = config("switch.a.legacy = x", "switch.a.percentage = 150");

    Cli cli = Cli.run("check", config.toString(), "--classpath", classes().toString());

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.out).isEmpty();
    assertThat(cli.err)
        .startsWith("pathswitch check: 3 problems in " + config + "; nothing checked\n")
        .contains("switch.a.legacy = 'x': expected a method such as pkg.Class#method")
        .contains("switch.a.percentage = '150': expected a percentage from 0 to 100")
        .contains("switch.a.unified is missing");
  }

  @Test
  void needsAClassPath() throws Exception {
    Cli cli = Cli.run("check", config().toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("Missing required option: '--classpath=<jar or folder>");
  }

  private Path config(String... lines) throws IOException {
    Path file = folder.resolve("pathswitch-" + System.nanoTime() + ".properties");
    Files.write(file, Arrays.asList(lines));
    return file;
  }

  /** The test classes' folder, found without loading any fixture. */
  private static Path classes() throws Exception {
    return Path.of(MainTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private Path fixturesJar() throws Exception {
    Path jar = folder.resolve("fixtures.jar");
    Path fixtures = classes().resolve("io/pathswitch/fixtures");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> classFiles = Files.list(fixtures)) {
      for (Path classFile : (Iterable<Path>) classFiles::iterator) {
        out.putNextEntry(new ZipEntry("io/pathswitch/fixtures/" + classFile.getFileName()));
        out.write(Files.readAllBytes(classFile));
        out.closeEntry();
      }
    }
    return jar;
  }

  static List<String> lines(String text) {
    return List.of(text.split("\n"));
  }
}
