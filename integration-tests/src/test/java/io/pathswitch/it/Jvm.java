package io.pathswitch.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A JVM started by a test, with its output kept line by line. Always {@link #close()} it. */
final class Jvm implements AutoCloseable {

  static final Path AGENT_JAR =
      Path.of(System.getProperty("pathswitch.agent.jar")).toAbsolutePath().normalize();
  static final Path SAMPLE_JAR =
      Path.of(System.getProperty("pathswitch.sample.jar")).toAbsolutePath().normalize();
  static final Path SAMPLE_CONFIG =
      Path.of(System.getProperty("pathswitch.sample.config")).toAbsolutePath().normalize();
  static final Duration START = Duration.ofSeconds(60);

  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();

  private Jvm(Process process) {
    this.process = process;
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  static Jvm start(String java, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(arguments);
    return new Jvm(new ProcessBuilder(command).start());
  }

  /** Starts {@code command} as given, its first word the program. */
  static Jvm command(List<String> command) throws IOException {
    return new Jvm(new ProcessBuilder(command).start());
  }

  static Jvm start(List<String> arguments) throws IOException {
    return start(javaHome17(), arguments);
  }

  /**
   * Starts {@code mainClass} from the tests' class path with {@code arguments}, with the agent
   * given {@code config} at launch, or without the agent when {@code config} is null.
   */
  static Jvm app(Path config, String mainClass, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    if (config != null) {
      command.add("-javaagent:" + AGENT_JAR + "=config=" + config);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(arguments));
    return start(command);
  }

  /** The JVM's standard input; closing it closes the JVM's. */
  BufferedWriter stdin() {
    return new BufferedWriter(
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
  }

  /** The java of the JDK running the tests. */
  static String javaHome17() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  List<String> out() {
    return out;
  }

  List<String> err() {
    return err;
  }

  String errText() {
    return String.join("\n", err);
  }

  String outText() {
    return String.join("\n", out);
  }

  /** Waits until a line of standard output or error matches; fails with both outputs. */
  void awaitLine(Predicate<String> matches, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .alias("a matching line; stdout:\n" + tail(out) + "\nstderr:\n" + tail(err))
        .until(() -> out.stream().anyMatch(matches) || err.stream().anyMatch(matches) || !alive());
    if (!(out.stream().anyMatch(matches) || err.stream().anyMatch(matches))) {
      throw new AssertionError(
          "the JVM ended without the expected line; stdout:\n"
              + tail(out)
              + "\nstderr:\n"
              + tail(err));
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the JVM did not end within " + timeout + "; stderr:\n" + tail(err));
    }
    return process.exitValue();
  }

  static String tail(List<String> lines) {
    // A copy first: the reader threads append while this runs, and a view of the live list
    // throws ConcurrentModificationException when they do.
    List<String> now = List.copyOf(lines);
    int from = Math.max(0, now.size() - 40);
    return now.subList(from, now.size()).stream().collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void pump(InputStream stream, List<String> lines) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
              }
            },
            "jvm-output");
    thread.setDaemon(true);
    thread.start();
  }
}
