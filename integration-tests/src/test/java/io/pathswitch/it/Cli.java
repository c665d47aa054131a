package io.pathswitch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The command line as an operator runs it: {@code java -jar pathswitch-agent.jar ...}. */
final class Cli {

  static final Duration LIMIT = Duration.ofSeconds(60);

  final int exitCode;
  final String out;
  final String err;
  final Duration took;

  private Cli(int exitCode, String out, String err, Duration took) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
    this.took = took;
  }

  static Cli run(Jdk jdk, Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jdk.java(), "-jar", Jvm.AGENT_JAR.toString()));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    return exec(command);
  }

  /** Runs {@code command} to its end and keeps both outputs. */
  static Cli exec(List<String> command) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not end within " + LIMIT);
    }
    return new Cli(
        process.exitValue(), out.join(), err.join(), Duration.ofNanos(System.nanoTime() - start));
  }

  private static CompletableFuture<String> read(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e + ")";
          }
        });
  }

  @Override
  public String toString() {
    return "exit "
        + exitCode
        + " after "
        + took.toMillis()
        + " ms\nout:\n"
        + out
        + "\nerr:\n"
        + err;
  }
}
