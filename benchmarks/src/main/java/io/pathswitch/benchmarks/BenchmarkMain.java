package io.pathswitch.benchmarks;

import io.pathswitch.benchmarks.process.ProcessCost;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the module and writes the results: {@code results.json}, {@code
 * results.txt} (JMH's table), {@code summary.md} (the figures held against the goals) and, when the
 * sample's jar is there, {@code process-cost.txt}.
 *
 * <p>Arguments are {@code key=value}: {@code mode} ({@code quick}, each benchmark once and briefly,
 * or {@code full}, the published run), {@code agent} (the shaded agent jar), {@code out} (the
 * folder for the results), optionally {@code include} (a regular expression; only matching
 * benchmarks run), {@code sample} (the sample's jar, for the whole-process measurements) and {@code
 * process} ({@code false} skips them).
 *
 * <p>The benchmarks run in three groups, each with its own JMH runner, because they need different
 * forks: the call-cost benchmarks run in forks with the real shaded agent given by {@code
 * -javaagent} and without the agent module's unshaded classes on the class path (otherwise the JVM
 * would load the agent from those); the others construct the agent's classes directly and need
 * them; the dashboard benchmarks need longer iterations.
 */
public final class BenchmarkMain {

  private static final String AGENT_CLASS = "io/pathswitch/PathswitchAgent.class";

  /** The benchmarks that run with the agent: per call, and a statement its counting sees. */
  private static final String WITH_AGENT =
      "\\.(callcost\\.CallCostBenchmark|jdbc\\.CountedStatementBenchmark)\\.";

  private static final String DASHBOARD = "\\.dashboard\\.DashboardBenchmark\\.";
  private static final String PG_URL = "PATHSWITCH_PG_URL";

  private BenchmarkMain() {}

  public static void main(String[] args) throws IOException, RunnerException, InterruptedException {
    Arguments arguments = Arguments.parse(args);
    Files.createDirectories(arguments.out());
    Path agentConfig = copyResource("callcost-pathswitch.properties", arguments.out());
    Machine machine = Machine.describe();
    System.out.println("[bench] " + arguments.mode() + " run on " + machine.oneLine());

    List<RunResult> results = new ArrayList<>();
    results.addAll(runWithAgent(arguments, agentConfig));
    results.addAll(runMicro(arguments));
    results.addAll(runDashboard(arguments));

    Optional<ProcessCost.Figures> process = Optional.empty();
    if (arguments.process() && arguments.sample().isPresent()) {
      process =
          Optional.of(
              ProcessCost.run(
                  arguments.agent(),
                  arguments.sample().get(),
                  arguments.out(),
                  arguments.quick() ? 1 : 7));
    } else if (arguments.process()) {
      System.out.println(
          "[bench] whole-process measurements skipped: no sample jar (give sample=PATH)");
    }
    write(results, arguments, new Summary(results, machine, arguments.mode(), process));
  }

  /** The call-cost benchmarks, in forks that load the shaded agent and not its unshaded classes. */
  private static Collection<RunResult> runWithAgent(Arguments arguments, Path agentConfig)
      throws RunnerException {
    String classPath = System.getProperty("java.class.path");
    // JMH gives its forks this JVM's class path, read when each fork starts.
    System.setProperty("java.class.path", withoutAgentModule(classPath));
    try {
      ChainedOptionsBuilder options =
          micro(arguments, arguments.includes(WITH_AGENT))
              .jvmArgsAppend("-javaagent:" + arguments.agent() + "=config=" + agentConfig);
      return run(options, "with the agent: call cost, counted statements");
    } finally {
      System.setProperty("java.class.path", classPath);
    }
  }

  private static Collection<RunResult> runMicro(Arguments arguments) throws RunnerException {
    ChainedOptionsBuilder options =
        micro(arguments, arguments.includes("")).exclude(WITH_AGENT).exclude(DASHBOARD);
    return run(options, "peers, decision, thresholds, JDBC");
  }

  private static Collection<RunResult> runDashboard(Arguments arguments) throws RunnerException {
    List<String> databases = new ArrayList<>(List.of("h2"));
    if (System.getenv(PG_URL) != null && !System.getenv(PG_URL).isBlank()) {
      databases.add("postgresql");
    } else {
      System.out.println(
          "[bench] dashboard on PostgreSQL skipped: "
              + PG_URL
              + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/bench?user=u&password=p)");
    }
    ChainedOptionsBuilder options =
        common(arguments, arguments.includes(DASHBOARD))
            .param("database", databases.toArray(new String[0]))
            .warmupIterations(arguments.quick() ? 1 : 2)
            .warmupTime(TimeValue.seconds(arguments.quick() ? 1 : 2))
            .measurementIterations(arguments.quick() ? 1 : 4)
            .measurementTime(TimeValue.seconds(arguments.quick() ? 1 : 2));
    if (arguments.quick()) {
      options.param("representatives", "1000");
    }
    return run(options, "dashboard, legacy against unified");
  }

  private static ChainedOptionsBuilder micro(Arguments arguments, String include) {
    return common(arguments, include)
        .warmupIterations(arguments.quick() ? 1 : 3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(arguments.quick() ? 1 : 5)
        .measurementTime(TimeValue.seconds(1));
  }

  private static ChainedOptionsBuilder common(Arguments arguments, String include) {
    return new OptionsBuilder()
        .include(include)
        .forks(arguments.quick() ? 1 : 2)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true);
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options, String group)
      throws RunnerException {
    System.out.println("[bench] group: " + group);
    try {
      return new Runner(options.build()).run();
    } catch (NoBenchmarksException e) {
      System.out.println("[bench] group " + group + ": no benchmark matches, skipped");
      return List.of();
    }
  }

  /** The class path less every entry that holds the agent's classes, jar or folder. */
  static String withoutAgentModule(String classPath) {
    return Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !holdsAgent(Path.of(entry)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean holdsAgent(Path entry) {
    if (Files.isDirectory(entry)) {
      return Files.exists(entry.resolve(AGENT_CLASS));
    }
    if (!Files.isRegularFile(entry)) {
      return false;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      return jar.getEntry(AGENT_CLASS) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path copyResource(String name, Path folder) throws IOException {
    Path target = folder.resolve(name).toAbsolutePath();
    try (InputStream in = BenchmarkMain.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IOException("the benchmarks' class path lacks " + name);
      }
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static void write(List<RunResult> results, Arguments arguments, Summary summary)
      throws IOException {
    Path out = arguments.out();
    try (PrintStream json = new PrintStream(out.resolve("results.json").toFile(), "UTF-8")) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
    }
    try (PrintStream text = new PrintStream(out.resolve("results.txt").toFile(), "UTF-8")) {
      ResultFormatFactory.getInstance(ResultFormatType.TEXT, text).writeOut(results);
    }
    String markdown = summary.markdown();
    Files.writeString(out.resolve("summary.md"), markdown, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(markdown);
    System.out.println("[bench] results in " + out);
  }
}
