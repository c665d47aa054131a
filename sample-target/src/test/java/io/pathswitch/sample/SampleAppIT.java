package io.pathswitch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a real process, the way an operator starts it. */
class SampleAppIT {

  private static final Path JAR =
      Path.of(System.getProperty("sample.jar", "target/sample-target.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern ID = Pattern.compile("\"id\":\\d+");

  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void requireJar() {
    assertThat(JAR).as("run 'mvn package' first").isRegularFile();
  }

  @AfterEach
  void destroyProcesses() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void legacyDashboardRunsFourStatementsPerRepresentativePlusOne() throws Exception {
    int port = freePort();
    Console console =
        start("--representatives", "300", "--port", String.valueOf(port), "--log-sql");
    awaitServing(console);
    int served = console.indexOf(line -> line.startsWith("sample-target serving"));

    HttpResponse<String> dashboard = get(port, "/api/dashboard");
    // Its only statement is printed after every statement of the dashboard request: a marker.
    get(port, "/api/representatives/0");
    String marker = "Query: SELECT id, name, code FROM representatives WHERE id = ? [0]";
    await().atMost(Duration.ofSeconds(10)).until(() -> console.has(marker::equals));

    assertThat(console.lines().get(served))
        .isEqualTo(
            "sample-target serving 300 representatives on http://127.0.0.1:"
                + port
                + "/api/dashboard");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(ID.matcher(dashboard.body()).results().count()).isEqualTo(300);
    List<String> requestLines =
        console.lines().subList(served + 1, console.indexOf(marker::equals));
    assertThat(requestLines).hasSize(1201).allMatch(line -> line.startsWith("Query: "));
  }

  @Test
  void aPortInUseExitsWithCode2AndSaysWhichPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Console console = start("--port", String.valueOf(port));
      int exitCode = console.exitCode();

      assertThat(exitCode).isEqualTo(2);
      assertThat(console.errors())
          .containsExactly(
              "sample-target: port "
                  + port
                  + " on 127.0.0.1 is in use; choose another with --port");
    }
  }

  @Test
  void aBadOptionExitsWithCode2AndOneClearLine() throws Exception {
    Console console = start("--representatives", "many", "--verbose");
    int exitCode = console.exitCode();

    assertThat(exitCode).isEqualTo(2);
    assertThat(console.errors())
        .containsExactly(
            "sample-target: unknown option '--verbose'; --representatives was 'many' but it must"
                + " be a whole number from 0 to 1000000 (see --help)");
  }

  @Test
  void aDatabaseThatCannotBeReachedExitsWithCode2() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/pathswitch";

    Console console = start("--port", "0", "--jdbc-url", url + "?password=secret");
    int exitCode = console.exitCode();

    assertThat(exitCode).isEqualTo(2);
    assertThat(console.errors()).hasSize(1);
    assertThat(console.errors().get(0))
        .startsWith("sample-target: cannot reach the database at " + url + ": ")
        .doesNotContain("secret");
  }

  @Test
  void sigtermStopsTheServerAndClosesThePool() throws Exception {
    Console console = start("--representatives", "10", "--port", "0");
    awaitServing(console);

    // SIGTERM, through the handle: Process.destroy() would also close the pipes we read.
    console.process().toHandle().destroy();

    int exitCode = console.exitCode();

    assertThat(exitCode).isEqualTo(143); // 128 + SIGTERM, once the shutdown hook has run
    assertThat(console.lines()).endsWith("sample-target stopped");
    assertThat(console.errors()).isEmpty();
  }

  @Test
  void helpPrintsTheOptionsAndExitsWithCode0() throws Exception {
    Console console = start("--help");
    int exitCode = console.exitCode();

    assertThat(exitCode).isZero();
    assertThat(console.lines()).anyMatch(line -> line.contains("--log-sql"));
  }

  private static void awaitServing(Console console) {
    await()
        .atMost(START_TIMEOUT)
        .until(() -> console.has(line -> line.startsWith("sample-target serving")));
  }

  private Console start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    processes.add(process);
    return new Console(process);
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A started process with its output and its errors read, line by line, as they come. */
  private static final class Console {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Thread> readers;

    Console(Process process) {
      this.process = process;
      this.readers =
          List.of(read(process.getInputStream(), lines), read(process.getErrorStream(), errors));
    }

    Process process() {
      return process;
    }

    List<String> lines() {
      return lines;
    }

    List<String> errors() {
      return errors;
    }

    boolean has(Predicate<String> line) {
      return lines.stream().anyMatch(line);
    }

    int indexOf(Predicate<String> line) {
      for (int i = 0; i < lines.size(); i++) {
        if (line.test(lines.get(i))) {
          return i;
        }
      }
      return -1;
    }

    /** Waits for the process to end and for its output to be read to the end. */
    int exitCode() throws InterruptedException {
      assertThat(process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("process ended")
          .isTrue();
      for (Thread reader : readers) {
        reader.join(Duration.ofSeconds(10).toMillis());
      }
      return process.exitValue();
    }

    private static Thread read(InputStream stream, List<String> into) {
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader text =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  text.lines().forEach(into::add);
                } catch (IOException | UncheckedIOException e) {
                  into.add("(unreadable: " + e + ")");
                }
              },
              "console-reader");
      reader.setDaemon(true);
      reader.start();
      return reader;
    }
  }
}
