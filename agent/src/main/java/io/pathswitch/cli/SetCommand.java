package io.pathswitch.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code set <pid> <switch> key=value...}: changes a switch's flags through its JMX operation
 * {@code set(assignments, source)}, which checks every assignment before any applies and logs who
 * asked. The agent judges keys and values, so the command line and JConsole refuse alike.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    header = "Sets a switch's flags in a running JVM.",
    description =
        "Sets a switch's flags: enabled=true|false, percentage=0..100, "
            + "mode=divert|shadow|live. Nothing changes unless every assignment is "
            + "accepted. The agent logs the change with the user and pid of this "
            + "command.")
final class SetCommand extends JvmCommand {

  @Parameters(index = "1", paramLabel = "<switch>", description = "the switch's name")
  String switchName;

  @Parameters(
      index = "2..*",
      arity = "1..*",
      paramLabel = "key=value",
      description = "e.g. percentage=25 enabled=true")
  List<String> assignments;

  @Override
  public Integer call() {
    String joined = assignments(assignments);
    if (joined == null) {
      throw new ParameterException(
          spec.commandLine(), "expected key=value, got '" + firstWithoutEquals() + "'");
    }
    try (Target target = Target.attach(pid);
        AgentConnection agent = target.connect()) {
      agent.requireSwitch(switchName);
      agent.set(switchName, joined, source());
      SwitchStatus after = agent.status(switchName);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pid", pid);
      json.put("switch", switchName);
      json.put("set", joined);
      json.put("status", after.json());
      print(
          "switch "
              + switchName
              + " in pid "
              + pid
              + ": set "
              + joined
              + "; now "
              + after.state()
              + ", "
              + after.reason(),
          json);
      return 0;
    }
  }

  /** {@code a=1,b=2}, the form the JMX operation takes; null when one is not key=value. */
  static String assignments(List<String> given) {
    StringBuilder joined = new StringBuilder();
    for (String assignment : given) {
      int equals = assignment.indexOf('=');
      if (equals <= 0 || assignment.indexOf(',') >= 0) {
        return null;
      }
      joined.append(joined.length() == 0 ? "" : ",").append(assignment.strip());
    }
    return joined.toString();
  }

  private String firstWithoutEquals() {
    return assignments.stream()
        .filter(a -> a.indexOf('=') <= 0 || a.indexOf(',') >= 0)
        .findFirst()
        .orElse("");
  }
}
