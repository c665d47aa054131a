package io.pathswitch.benchmarks.process;

import com.sun.tools.attach.VirtualMachine;
import io.pathswitch.benchmarks.Goal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent costs a whole process, measured outside JMH on the sample application's jar:
 *
 * <ul>
 *   <li><b>start-up</b>: from starting the JVM to the end of the first dashboard request it serves,
 *       without {@code -javaagent}, with it and two switches off, and with it and the dashboard's
 *       switch on at 0 % (every call decided, timed and counted, and served by the same legacy
 *       code, so that the application does the same work in all three), the runs interleaved;
 *   <li><b>attach</b>: from {@code VirtualMachine.attach} on a running sample (without the agent,
 *       already serving) to the end of the first dashboard request that the unified engine served,
 *       told apart by its statement count in the sample's {@code --log-sql} output (the legacy path
 *       runs 4N + 1 statements, the unified one at most 5).
 * </ul>
 *
 * <p>Every sample runs with 100 representatives, so that a legacy request takes tens of
 * milliseconds and the polling does not hide what is measured. Standalone: {@code java -cp ...
 * io.pathswitch.benchmarks.process.ProcessCost agent=JAR sample=JAR out=DIR runs=7}.
 */
public final class ProcessCost {

  private static final String REPRESENTATIVES = "100";
  private static final long STARTUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long ATTACH_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int MAX_UNIFIED_STATEMENTS = 5;

  private final Path agent;
  private final Path sample;
  private final Path out;
  private final Path startupConfig;
  private final Path startupOnConfig;
  private final Path attachConfig;

  private ProcessCost(Path agent, Path sample, Path out) throws IOException {
    this.agent = agent;
    this.sample = sample;
    this.out = out;
    this.startupConfig = config("startup-pathswitch.properties", false, 100);
    this.startupOnConfig = config("startup-on-pathswitch.properties", true, 0);
    this.attachConfig = config("attach-pathswitch.properties", true, 100);
  }

  /** The medians and every run, in milliseconds. */
  public record Figures(
      List<Double> withoutAgent,
      List<Double> withAgent,
      List<Double> withAgentOn,
      List<Double> withoutAgentCpu,
      List<Double> withAgentCpu,
      List<Double> withAgentOnCpu,
      List<Double> loadAgent,
      List<Double> attachToDiverted,
      List<String> notes) {

    public double startupCost() {
      return median(withAgent) - median(withoutAgent);
    }

    public double startupCostOn() {
      return median(withAgentOn) - median(withoutAgent);
    }

    public String markdown() {
      StringBuilder text =
          new StringBuilder("### Whole processes (sample, 100 representatives)\n\n");
      text.append("| measurement | median ms | runs ms |\n| --- | ---: | --- |\n");
      text.append(line("JVM start to first served request, no agent", withoutAgent));
      text.append(
          line("JVM start to first served request, -javaagent, two switches off", withAgent));
      text.append(
          line("JVM start to first served request, -javaagent, one switch on at 0 %", withAgentOn));
      text.append(
          line("CPU time of the sample to its first served request, no agent", withoutAgentCpu));
      text.append(
          line(
              "CPU time of the sample to its first served request, -javaagent, switches off",
              withAgentCpu));
      text.append(
          line(
              "CPU time of the sample to its first served request, -javaagent, one on",
              withAgentOnCpu));
      text.append(line("attach: VirtualMachine.attach + loadAgent returned", loadAgent));
      text.append(line("attach to the end of the first diverted request", attachToDiverted));
      for (String note : notes) {
        text.append("\nNote: ").append(note).append('\n');
      }
      return text.toString();
    }

    public List<Goal> goals() {
      List<Goal> goals = new ArrayList<>();
      if (!withAgent.isEmpty() && !withoutAgent.isEmpty()) {
        goals.add(startupGoal("switches off", startupCost(), withAgent, withAgentCpu));
      }
      if (!withAgentOn.isEmpty() && !withoutAgent.isEmpty()) {
        goals.add(startupGoal("one switch on", startupCostOn(), withAgentOn, withAgentOnCpu));
      }
      if (!attachToDiverted.isEmpty()) {
        double attach = median(attachToDiverted);
        goals.add(
            Goal.of(
                "attach to first diverted call under 1 s",
                String.format(
                    Locale.ROOT,
                    "%.0f ms (median; loadAgent itself %.0f ms)",
                    attach,
                    median(loadAgent)),
                attach < 1000,
                String.format(Locale.ROOT, "%.0f ms over", attach - 1000)));
      }
      return goals;
    }

    private Goal startupGoal(String what, double cost, List<Double> wall, List<Double> cpu) {
      return Goal.of(
          "start-up cost under 300 ms (" + what + ")",
          String.format(
              Locale.ROOT,
              "%.0f ms (median %.0f with the agent, %.0f without); CPU time %.0f ms more",
              cost,
              median(wall),
              median(withoutAgent),
              median(cpu) - median(withoutAgentCpu)),
          cost < 300,
          String.format(Locale.ROOT, "%.0f ms over", cost - 300));
    }

    private static String line(String what, List<Double> runs) {
      if (runs.isEmpty()) {
        return "| " + what + " | not measured | |\n";
      }
      List<String> each = runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList();
      return String.format(
          Locale.ROOT, "| %s | %.0f | %s |%n", what, median(runs), String.join(", ", each));
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path agent = null;
    Path sample = null;
    Path out = Path.of("benchmarks/target/bench");
    int runs = 7;
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      switch (pair[0]) {
        case "agent" -> agent = Path.of(pair[1]);
        case "sample" -> sample = Path.of(pair[1]);
        case "out" -> out = Path.of(pair[1]);
        case "runs" -> runs = Integer.parseInt(pair[1]);
        default ->
            throw new IllegalArgumentException(
                "argument '" + arg + "': expected agent=JAR sample=JAR [out=DIR] [runs=N]");
      }
    }
    if (agent == null || sample == null) {
      throw new IllegalArgumentException("give agent=JAR and sample=JAR");
    }
    Figures figures = run(agent.toAbsolutePath(), sample.toAbsolutePath(), out, runs);
    System.out.println(figures.markdown());
  }

  /** Runs {@code runs} start-ups of each kind and {@code runs} attaches, and writes the figures. */
  public static Figures run(Path agent, Path sample, Path out, int runs)
      throws IOException, InterruptedException {
    Files.createDirectories(out);
    ProcessCost cost = new ProcessCost(agent, sample, out.toAbsolutePath());
    Figures figures = cost.measure(runs);
    Files.writeString(out.resolve("process-cost.md"), figures.markdown());
    System.out.println(figures.markdown());
    return figures;
  }

  private Figures measure(int runs) throws IOException, InterruptedException {
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    List<Double> withOn = new ArrayList<>();
    List<Double> withoutCpu = new ArrayList<>();
    List<Double> withCpu = new ArrayList<>();
    List<Double> withOnCpu = new ArrayList<>();
    List<Double> load = new ArrayList<>();
    List<Double> diverted = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    // One unmeasured start of each, so the first measured runs do not pay for a cold page cache.
    startUp(null);
    startUp(startupConfig);
    startUp(startupOnConfig);
    for (int i = 0; i < runs; i++) {
      double[] plain = startUp(null);
      double[] agentStart = startUp(startupConfig);
      double[] agentOn = startUp(startupOnConfig);
      without.add(plain[0]);
      withoutCpu.add(plain[1]);
      with.add(agentStart[0]);
      withCpu.add(agentStart[1]);
      withOn.add(agentOn[0]);
      withOnCpu.add(agentOn[1]);
      System.out.printf(
          Locale.ROOT,
          "[process] start-up run %d: %.0f ms without, %.0f ms with the agent (switches off),"
              + " %.0f ms (one on)%n",
          i + 1,
          without.get(i),
          with.get(i),
          withOn.get(i));
    }
    for (int i = 0; i < runs; i++) {
      try {
        double[] attach = attach();
        load.add(attach[0]);
        diverted.add(attach[1]);
        System.out.printf(
            Locale.ROOT,
            "[process] attach run %d: loadAgent %.0f ms, first diverted %.0f ms%n",
            i + 1,
            attach[0],
            attach[1]);
      } catch (IllegalStateException e) {
        notes.add("attach run " + (i + 1) + " failed: " + e.getMessage());
        System.out.println("[process] attach run " + (i + 1) + " failed: " + e.getMessage());
      }
    }
    return new Figures(
        without, with, withOn, withoutCpu, withCpu, withOnCpu, load, diverted, notes);
  }

  /**
   * Milliseconds from starting the JVM to the end of its first served dashboard request, and the
   * CPU time the JVM used by then: on a shared machine the wall time also measures the other work,
   * the CPU time much less so.
   */
  private double[] startUp(Path config) throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(java());
    if (config != null) {
      command.add("-javaagent:" + agent + "=config=" + config);
    }
    command.addAll(sampleArguments(port, false));
    Path log =
        out.resolve(
            config == null
                ? "startup-without-agent.log"
                : "startup-" + config.getFileName().toString().replace(".properties", ".log"));
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitFirstRequest(process, port, start, log);
      double wall = millisSince(start);
      double cpu = process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
      return new double[] {wall, cpu};
    } finally {
      stop(process);
    }
  }

  /**
   * Attaches to a serving sample: {loadAgent's milliseconds, milliseconds to the end of the first
   * diverted request}.
   */
  private double[] attach() throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(sampleArguments(port, true));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StatementLog statements = new StatementLog(process.getInputStream());
    try {
      awaitFirstRequest(process, port, System.nanoTime(), null);
      for (int i = 0; i < 5; i++) {
        get(port); // a running application, past its first requests
      }
      statements.awaitQuiet();

      long start = System.nanoTime();
      VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
      try {
        vm.loadAgent(agent.toString(), "config=" + attachConfig);
      } finally {
        vm.detach();
      }
      double loaded = millisSince(start);

      while (System.nanoTime() - start < ATTACH_TIMEOUT_NANOS) {
        long before = statements.count();
        get(port);
        double served = millisSince(start);
        statements.awaitQuiet();
        long ran = statements.count() - before;
        if (ran > 0 && ran <= MAX_UNIFIED_STATEMENTS) {
          return new double[] {loaded, served};
        }
      }
      throw new IllegalStateException(
          "no request ran "
              + MAX_UNIFIED_STATEMENTS
              + " statements or fewer within 30 s of attach;"
              + " sample output:\n"
              + statements.tail());
    } catch (com.sun.tools.attach.AttachNotSupportedException
        | com.sun.tools.attach.AgentLoadException
        | com.sun.tools.attach.AgentInitializationException e) {
      throw new IllegalStateException("attach failed: " + e, e);
    } finally {
      stop(process);
    }
  }

  private List<String> sampleArguments(int port, boolean logSql) {
    List<String> arguments = new ArrayList<>();
    arguments.add("-jar");
    arguments.add(sample.toString());
    arguments.add("--port");
    arguments.add(Integer.toString(port));
    arguments.add("--representatives");
    arguments.add(REPRESENTATIVES);
    if (logSql) {
      arguments.add("--log-sql");
    }
    return arguments;
  }

  private static void awaitFirstRequest(Process process, int port, long start, Path log)
      throws IOException, InterruptedException {
    while (System.nanoTime() - start < STARTUP_TIMEOUT_NANOS) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the sample exited with " + process.exitValue() + (log == null ? "" : "; see " + log));
      }
      if (tryGet(port)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the sample served no request within 60 s");
  }

  private static boolean tryGet(int port) throws IOException {
    try {
      get(port);
      return true;
    } catch (java.net.ConnectException e) {
      return false;
    }
  }

  /** One dashboard request, its body read to the end. */
  private static void get(int port) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/api/dashboard").openConnection();
    connection.setConnectTimeout(1000);
    connection.setReadTimeout(30_000);
    try (InputStream body = connection.getInputStream()) {
      body.transferTo(java.io.OutputStream.nullOutputStream());
    }
    if (connection.getResponseCode() != 200) {
      throw new IOException("dashboard answered " + connection.getResponseCode());
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private Path config(String name, boolean dashboardOn, int percentage) throws IOException {
    String text =
        "# Written by ProcessCost: the sample's two switches"
            + (dashboardOn ? ", the dashboard's on at " + percentage + " %.\n" : ", both off.\n")
            + "log.level = warn\n"
            + "switch.dashboard.legacy = io.pathswitch.sample.dashboard.DashboardService"
            + "#buildDashboard\n"
            + "switch.dashboard.unified = io.pathswitch.sample.dashboard.UnifiedDashboardEngine"
            + "#buildDashboard\n"
            + "switch.dashboard.enabled = "
            + dashboardOn
            + "\n"
            + "switch.dashboard.percentage = "
            + percentage
            + "\n"
            + "switch.summary.legacy = io.pathswitch.sample.dashboard.DashboardService"
            + "#representativeSummary\n"
            + "switch.summary.unified = io.pathswitch.sample.dashboard.UnifiedDashboardEngine"
            + "#representativeSummary\n"
            + "switch.summary.enabled = false\n";
    Path file = out.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Counts the sample's {@code Query:} lines as they are printed; keeps the last lines. */
  private static final class StatementLog {

    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong lastLineNanos = new AtomicLong(System.nanoTime());
    private final List<String> tail = new ArrayList<>();

    StatementLog(InputStream output) {
      Thread reader = new Thread(() -> read(output), "sample-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read(InputStream output) {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("Query:")) {
            statements.incrementAndGet();
          } else {
            synchronized (tail) {
              tail.add(line);
              if (tail.size() > 40) {
                tail.remove(0);
              }
            }
          }
          lastLineNanos.set(System.nanoTime());
        }
      } catch (IOException e) {
        // The sample was stopped while its output was being read: nothing more to count.
      }
    }

    long count() {
      return statements.get();
    }

    /**
     * Waits until no line has come for 20 ms: the statements of a request are printed before its
     * response is sent, so once the reader is quiet it has counted all of them.
     */
    void awaitQuiet() throws InterruptedException {
      while (System.nanoTime() - lastLineNanos.get() < TimeUnit.MILLISECONDS.toNanos(20)) {
        Thread.sleep(2);
      }
    }

    String tail() {
      synchronized (tail) {
        return String.join("\n", tail);
      }
    }
  }
}
