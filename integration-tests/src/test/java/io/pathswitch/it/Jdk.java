package io.pathswitch.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A JDK the tests run the sample and the command line on: the one running the tests (Java 17), and
 * the newest found where Debian lays out JDKs, {@code /usr/lib/jvm/<name>/bin/java}. When there is
 * no newer one, {@link #missing} stands in for it and its tests are skipped, saying why.
 */
record Jdk(String label, Path home, int major, String missingReason) {

  /** Where Debian keeps JDKs; {@code -Dpathswitch.it.jvms=<folder>} looks elsewhere. */
  private static final Path JVMS =
      Path.of(System.getProperty("pathswitch.it.jvms", "/usr/lib/jvm"));

  static Jdk missing(String label, String reason) {
    return new Jdk(label, null, 0, reason);
  }

  boolean present() {
    return home != null;
  }

  String java() {
    return home.resolve("bin/java").toString();
  }

  String jcmd() {
    return home.resolve("bin/jcmd").toString();
  }

  /**
   * Options for a JVM that tools attach to: from Java 21 the JVM warns of every agent loaded into
   * it while it runs unless {@code -XX:+EnableDynamicAgentLoading} says it is expected; Java 17
   * knows no such option.
   */
  List<String> attachable() {
    return major >= 21 ? List.of("-XX:+EnableDynamicAgentLoading") : List.of();
  }

  @Override
  public String toString() {
    return label;
  }

  /** The JDK running the tests, then the newest newer one or a stand-in that skips. */
  static Stream<Jdk> forTests() {
    Path running = Path.of(System.getProperty("java.home"));
    int major = Runtime.version().feature();
    Jdk current = new Jdk("Java " + major, running, major, null);
    Jdk newer =
        newest()
            .filter(jdk -> jdk.major() > major)
            .orElseGet(
                () ->
                    missing(
                        "Java 25",
                        "no JDK newer than Java "
                            + major
                            + " under "
                            + JVMS
                            + " (looked for */bin/java beside a release file); the Java 25"
                            + " variants are skipped"));
    return Stream.of(current, newer);
  }

  private static Optional<Jdk> newest() {
    List<Jdk> found = new ArrayList<>();
    try (Stream<Path> homes = Files.list(JVMS)) {
      homes.forEach(home -> read(home).ifPresent(found::add));
    } catch (IOException e) {
      return Optional.empty();
    }
    return found.stream().max(Comparator.comparingInt(Jdk::major));
  }

  private static Optional<Jdk> read(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(release)) {
      properties.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
    try {
      int major = Integer.parseInt(version.split("[.+-]")[0]);
      return Optional.of(new Jdk("Java " + major, home.toRealPath(), major, null));
    } catch (NumberFormatException | IOException e) {
      return Optional.empty();
    }
  }
}
