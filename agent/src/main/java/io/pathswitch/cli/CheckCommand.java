package io.pathswitch.cli;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.ConfigException;
import io.pathswitch.config.SwitchConfig;
import io.pathswitch.instrumentation.ClassFile;
import io.pathswitch.instrumentation.TargetCheck;
import io.pathswitch.instrumentation.TargetCheck.Fit;
import io.pathswitch.instrumentation.TargetCheck.Verdict;
import io.pathswitch.instrumentation.TypeSource;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code check <config> --classpath <jars and folders>}: whether each switch's legacy and unified
 * methods exist and fit, judged from the application's class files by {@link TargetCheck}, exactly
 * as the agent judges when the legacy class loads. Nothing is loaded and no JVM is touched.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    header = "Checks a configuration against an application's class files.",
    description =
        "Before anything touches a live JVM: for each switch, whether its "
            + "legacy and unified methods exist and fit, judged as the agent judges. "
            + "No class is loaded and no static initialiser runs. Exit code 0 when "
            + "every switch fits, 1 otherwise.")
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<config>", description = "the configuration file")
  Path config;

  @Option(
      names = {"--classpath", "-cp"},
      required = true,
      split = "${sys:path.separator}",
      paramLabel = "<jar or folder>",
      description =
          "the application's jars and class folders, separated by '${sys:path.separator}'")
  List<Path> classPath;

  @Option(names = "--json", description = "print JSON for scripts instead of a table")
  boolean json;

  @Spec CommandSpec spec;

  /**
   * One switch's verdict: why it does not fit, or, when it fits, how the unified method is called.
   */
  record Row(String name, boolean fits, String key, String reason, String legacy, String unified) {

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", name);
      json.put("fits", fits);
      json.put("key", key);
      json.put("reason", reason);
      json.put("legacy", legacy);
      json.put("unified", unified);
      return json;
    }
  }

  @Override
  public Integer call() {
    AgentConfig agentConfig;
    try {
      agentConfig = AgentConfig.load(config);
    } catch (ConfigException e) {
      throw new Failure(Main.problems(e, "nothing checked"));
    }
    List<Row> rows = new ArrayList<>();
    try (ClassFiles classFiles = ClassFiles.open(classPath)) {
      for (SwitchConfig sw : agentConfig.switches()) {
        rows.add(judge(sw, classFiles));
      }
    }
    boolean allFit = rows.stream().allMatch(Row::fits);
    spec.commandLine().getOut().print(json ? json(rows, allFit) + "\n" : text(rows));
    spec.commandLine().getOut().flush();
    return allFit ? 0 : 1;
  }

  /** Judges one switch as the agent does when its legacy class loads. */
  static Row judge(SwitchConfig sw, TypeSource types) {
    String className = sw.legacy().className();
    if (TargetCheck.isJdkClass(className)) {
      return refused(
          sw, "legacy", className + " belongs to the JDK, whose methods pathswitch never switches");
    }
    Optional<ClassFile> legacyType = types.find(className);
    if (legacyType.isEmpty()) {
      return refused(sw, "legacy", "class " + className + " is not on the class path given");
    }
    Verdict verdict;
    try {
      verdict = TargetCheck.judge(sw, legacyType.get(), types);
    } catch (RuntimeException e) {
      // A class file it reads (the unified class, an ancestor) is malformed or cannot be read.
      return refused(sw, "unified", "cannot judge: " + Main.oneLine(e));
    }
    if (verdict.fit().isEmpty()) {
      return refused(sw, verdict.key(), verdict.reason());
    }
    Fit fit = verdict.fit().get();
    return new Row(
        sw.name(),
        true,
        null,
        fit.shape().name().toLowerCase().replace('_', ' '),
        className + "#" + TargetCheck.signature(fit.legacy()),
        fit.unifiedType().name() + "#" + TargetCheck.signature(fit.unified()));
  }

  private static Row refused(SwitchConfig sw, String key, String reason) {
    String value = key.equals("legacy") ? sw.legacy().toString() : sw.unified().toString();
    String where = "switch." + sw.name() + "." + key + " = '" + value + "': ";
    return new Row(
        sw.name(), false, key, where + reason, sw.legacy().toString(), sw.unified().toString());
  }

  private String text(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("check ")
        .append(config.toAbsolutePath().normalize())
        .append(" against ")
        .append(
            classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)))
        .append('\n');
    if (rows.isEmpty()) {
      return out.append("the configuration has no switches\n").toString();
    }
    Table table = new Table("SWITCH", "RESULT", "DETAIL");
    for (Row row : rows) {
      String detail =
          row.fits() ? row.legacy() + " -> " + row.unified() + ", " + row.reason() : row.reason();
      table.row(row.name(), row.fits() ? "fits" : "does not fit", detail);
    }
    out.append(table).append(summary(rows)).append('\n');
    return out.toString();
  }

  static String summary(List<Row> rows) {
    List<String> misfits =
        rows.stream().filter(row -> !row.fits()).map(Row::name).collect(Collectors.toList());
    if (misfits.isEmpty()) {
      return rows.size() == 1 ? "the switch fits" : "all " + rows.size() + " switches fit";
    }
    return misfits.size()
        + " of "
        + rows.size()
        + (rows.size() == 1 ? " switch" : " switches")
        + (misfits.size() == 1 ? " does" : " do")
        + " not fit: "
        + String.join(", ", misfits);
  }

  private String json(List<Row> rows, boolean allFit) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config.toAbsolutePath().normalize().toString());
    json.put("classPath", classPath.stream().map(Path::toString).collect(Collectors.toList()));
    json.put("fits", allFit);
    json.put("switches", rows.stream().map(Row::json).collect(Collectors.toList()));
    return Json.write(json);
  }
}
