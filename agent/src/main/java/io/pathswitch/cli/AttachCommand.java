package io.pathswitch.cli;

import io.pathswitch.Pathswitch;
import io.pathswitch.config.AgentArguments;
import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code attach <pid> [config=FILE | FILE]}: loads the agent into a running JVM, as {@code jcmd
 * <pid> JVMTI.agent_load} does, and shows the switches once they are up. The configuration is read
 * here first, so a config with errors is reported at once and nothing is loaded. A JVM that runs
 * the agent already gets the new configuration; switches that keep their name keep their figures.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    header = "Loads pathswitch into a running JVM, or gives it a new configuration.",
    description =
        "Loads pathswitch into a running JVM of this user, as jcmd "
            + "JVMTI.agent_load does, and shows its switches. A JVM that runs "
            + "pathswitch already gets the new configuration; switches that keep "
            + "their name keep their figures. The configuration is checked here "
            + "first. Without one, the JVM's own -Dpathswitch.config names it.")
final class AttachCommand extends JvmCommand {

  /** How long the agent may take, once loaded, to register its beans (it does so off-thread). */
  private static final Duration UP = Duration.ofSeconds(15);

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "config=FILE|FILE",
      description = "the configuration file; a relative path is resolved here, not in the JVM")
  String arguments;

  @Override
  public Integer call() {
    Optional<Path> given = givenConfig();
    given.ifPresent(AttachCommand::requireValid);
    try (Target target = Target.attach(pid)) {
      Properties properties = target.systemProperties();
      Path config = given.orElseGet(() -> configOf(properties));
      if (given.isEmpty()) {
        requireValid(config);
      }
      boolean replacing = properties.getProperty(Pathswitch.VERSION_PROPERTY) != null;

      target.loadAgent(agentJar(), agentOptions(config));

      try (AgentConnection agent = target.connect()) {
        StatusReport report = awaitUp(agent, config);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pid", pid);
        json.put("attached", true);
        json.put("replaced", replacing);
        json.putAll(report.json());
        print(headline(config, replacing, report) + "\n" + report.text(), json);
        return 0;
      }
    }
  }

  private String headline(Path config, boolean replacing, StatusReport report) {
    return (replacing ? "replaced the configuration of pathswitch " : "attached pathswitch ")
        + report.version()
        + " in pid "
        + pid
        + " with "
        + config
        + ": "
        + report.switches().size()
        + (report.switches().size() == 1 ? " switch" : " switches");
  }

  /** The config file named on the command line, absolute: the JVM has its own working folder. */
  private Optional<Path> givenConfig() {
    if (arguments == null || arguments.isBlank()) {
      return Optional.empty();
    }
    AgentArguments parsed;
    try {
      parsed = AgentArguments.parse(arguments);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return parsed.configPath().map(path -> Path.of(path).toAbsolutePath().normalize());
  }

  /** The JVM's own {@code -Dpathswitch.config}, resolved against its working folder. */
  private Path configOf(Properties properties) {
    String named = properties.getProperty("pathswitch.config");
    if (named == null || named.isBlank()) {
      throw new Failure(
          "no configuration: give config=FILE or a path; pid "
              + pid
              + " has no -Dpathswitch.config");
    }
    String folder = properties.getProperty("user.dir", "");
    return Path.of(folder).resolve(named.strip()).toAbsolutePath().normalize();
  }

  /** Reads the config as the agent will; a config with problems stops here, with all of them. */
  private static void requireValid(Path config) {
    try {
      AgentConfig.load(config);
    } catch (ConfigException e) {
      throw new Failure(Main.problems(e, "nothing attached"));
    }
  }

  /**
   * {@code config=<path>}, or the bare path when it holds a comma, which the pairs form cannot
   * carry; a path with both a comma and {@code =} cannot be given to the agent at all.
   */
  static String agentOptions(Path config) {
    String path = config.toString();
    if (path.indexOf(',') < 0) {
      return "config=" + path;
    }
    if (path.indexOf('=') < 0) {
      return path;
    }
    throw new Failure(
        "the agent cannot take a config path with both ',' and '=': " + path + "; move the file");
  }

  /** The jar this command runs from, which is the agent's. */
  static Path agentJar() {
    try {
      Path jar =
          Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        throw new Failure(
            "attach must run from the agent's jar: java -jar pathswitch-agent.jar attach ...");
      }
      return jar.toAbsolutePath();
    } catch (URISyntaxException | RuntimeException e) {
      if (e instanceof Failure) {
        throw (Failure) e;
      }
      throw new Failure("cannot tell where the agent's jar is: " + Main.oneLine(e));
    }
  }

  /**
   * Waits until the agent runs {@code config} and shows a bean for each of its switches, then reads
   * them. The agent registers its beans on its own thread after {@code agentmain} returns, and
   * re-registers them when a configuration is replaced.
   */
  private StatusReport awaitUp(AgentConnection agent, Path config) {
    long deadline = System.nanoTime() + UP.toNanos();
    List<String> expected = switchesOf(config);
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (agent.installed()
            && config.toString().equals(agent.configFile())
            && agent.switchNames().containsAll(expected)) {
          return report(agent, pid);
        }
      } catch (Failure e) {
        last = e; // a bean re-registered while it was read; read again
      }
      sleep();
    }
    throw new Failure(
        "pathswitch did not come up in pid "
            + pid
            + " within "
            + UP.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "; its standard error says why");
  }

  private static List<String> switchesOf(Path config) {
    try {
      return AgentConfig.load(config).switches().stream()
          .map(sw -> sw.name())
          .collect(Collectors.toList());
    } catch (ConfigException e) {
      throw new Failure(Main.oneLine(e));
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
  }
}
