package io.pathswitch.cli;

import io.pathswitch.config.ConfigException;
import io.pathswitch.config.ConfigProblem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The operator's command line: {@code java -jar pathswitch-agent.jar <command>}. It reaches a
 * running JVM only through the JDK's attach API and that JVM's local JMX connector, and opens no
 * port. Exit codes: 0 done; 1 failed, with one line on standard error saying why; 2 bad usage, with
 * the usage text. Each run builds its own command objects; runs share nothing.
 */
@Command(
    name = "pathswitch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Moves a running JVM from legacy code paths to unified ones, and back.",
    subcommands = {
      ListCommand.class,
      AttachCommand.class,
      StatusCommand.class,
      SetCommand.class,
      RolloutCommand.Rollback.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Advance.class,
      DetachCommand.class,
      CheckCommand.class
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command; returns its exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new Main());
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler(Main::failed);
    line.setParameterExceptionHandler(Main::badUsage);
    return line.execute(args);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a command");
  }

  /** The reason, any "did you mean", then the usage of the command that was misused. */
  private static int badUsage(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    command.usage(err);
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  private static int failed(Exception e, CommandLine command, ParseResult parsed) {
    String why = e instanceof Failure ? e.getMessage() : oneLine(e);
    command.getErr().println("pathswitch " + command.getCommandName() + ": " + why);
    command.getErr().flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  /** The message of {@code e}, or its type when it has none, on one line. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    return oneLine(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
  }

  /** A config's problems, each on a line, under a header that says what did not happen. */
  static String problems(ConfigException e, String consequence) {
    List<ConfigProblem> problems = e.problems();
    String source = problems.get(0).source();
    return problems.size()
        + (problems.size() == 1 ? " problem in " : " problems in ")
        + source
        + "; "
        + consequence
        + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining());
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** The jar's {@code Implementation-Version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pathswitch " + version()};
    }

    static String version() {
      String version = Main.class.getPackage().getImplementationVersion();
      return version == null ? "dev" : version;
    }
  }
}
