package io.pathswitch.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The sample application in a JVM of its own, with or without the agent. */
final class Sample implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Jvm jvm;
  final int port;

  private Sample(Jvm jvm, int port) {
    this.jvm = jvm;
    this.port = port;
  }

  /** Starts the sample with {@code jvmOptions} before {@code -jar}, and waits until it serves. */
  static Sample start(String java, List<String> jvmOptions, int representatives, String... options)
      throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            Jvm.SAMPLE_JAR.toString(),
            "--representatives",
            Integer.toString(representatives),
            "--port",
            Integer.toString(port)));
    command.addAll(List.of(options));
    Jvm jvm = Jvm.start(java, command);
    Sample sample = new Sample(jvm, port);
    try {
      jvm.awaitLine(line -> line.contains("sample-target serving"), Jvm.START);
    } catch (RuntimeException | Error e) {
      jvm.close();
      throw e;
    }
    return sample;
  }

  static Sample start(List<String> jvmOptions, int representatives, String... options)
      throws IOException {
    return start(Jvm.javaHome17(), jvmOptions, representatives, options);
  }

  static List<String> agent(Path config) {
    return List.of("-javaagent:" + Jvm.AGENT_JAR + "=config=" + config);
  }

  static Path config(Path folder, String... lines) throws IOException {
    Path file = folder.resolve("pathswitch-" + System.nanoTime() + ".properties");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The dashboard's body, and how many statements the sample logged while serving it. */
  Served dashboard() throws IOException, InterruptedException {
    long before = queries();
    HttpResponse<String> response = get("/api/dashboard");
    return new Served(response.statusCode(), response.body(), before);
  }

  long queries() {
    return jvm.out().stream().filter(line -> line.startsWith("Query:")).count();
  }

  final class Served {
    final int status;
    final String body;
    private final long queriesBefore;

    Served(int status, String body, long queriesBefore) {
      this.status = status;
      this.body = body;
      this.queriesBefore = queriesBefore;
    }

    /** Statements logged since the request began; the sample logs them before it answers. */
    long statements() {
      return queries() - queriesBefore;
    }

    /**
     * Waits until the output shows at least {@code least} statements of this request, then gives
     * the count. Call it before the next request: the sample prints a request's statements before
     * it answers, but the test reads its output on another thread.
     */
    long awaitStatements(long least) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> statements() >= least);
      return statements();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    jvm.close();
  }
}
