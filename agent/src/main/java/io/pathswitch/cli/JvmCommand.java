package io.pathswitch.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command on a running JVM shares: the pid, {@code --json}, and the output. */
abstract class JvmCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<pid>", description = "the process id of the JVM")
  long pid;

  @Option(names = "--json", description = "print JSON for scripts instead of a table")
  boolean json;

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints {@code text} for people, or {@code json} with {@code --json}. */
  void print(String text, Map<String, Object> jsonForm) {
    out().print(json ? Json.write(jsonForm) + "\n" : text.endsWith("\n") ? text : text + "\n");
    out().flush();
  }

  /** Who asks, for the agent's log: {@code CLI (user root, pid 1234)}. */
  static String source() {
    return "CLI (user "
        + System.getProperty("user.name")
        + ", pid "
        + ProcessHandle.current().pid()
        + ")";
  }

  /** Reads every switch of the agent in the JVM. */
  static StatusReport report(AgentConnection agent, long pid) {
    return new StatusReport(
        pid,
        agent.version(),
        agent.configFile(),
        agent.switchNames().stream().map(agent::status).toList());
  }
}
