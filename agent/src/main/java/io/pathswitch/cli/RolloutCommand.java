package io.pathswitch.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rollback}, {@code resume} and {@code advance}: a switch's rollout operations, through the
 * JMX operations that take a source, so the agent's log names who acted.
 */
abstract class RolloutCommand extends JvmCommand {

  @Parameters(index = "1", paramLabel = "<switch>", description = "the switch's name")
  String switchName;

  private final String operation;

  RolloutCommand(String operation) {
    this.operation = operation;
  }

  @Override
  public Integer call() {
    try (Target target = Target.attach(pid);
        AgentConnection agent = target.connect()) {
      agent.requireSwitch(switchName);
      agent.operate(switchName, operation, source());
      SwitchStatus after = agent.status(switchName);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pid", pid);
      json.put("switch", switchName);
      json.put("operation", operation);
      json.put("status", after.json());
      print(
          "switch "
              + switchName
              + " in pid "
              + pid
              + ": "
              + operation
              + " done; now "
              + StatusReport.stateLine(after),
          json);
      return 0;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      header = "Sends every call of a switch back to the legacy path.",
      description =
          "Sends every call of a switch back to the legacy path: its rollout goes "
              + "to 0 %% and pauses; without a rollout, its percentage goes to 0.")
  static final class Rollback extends RolloutCommand {
    Rollback() {
      super("rollback");
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      header = "Restarts the current rollout step of a paused or tripped switch.",
      description =
          "Restarts the current rollout step of a paused or tripped switch, with "
              + "a fresh window for its thresholds.")
  static final class Resume extends RolloutCommand {
    Resume() {
      super("resume");
    }
  }

  @Command(
      name = "advance",
      mixinStandardHelpOptions = true,
      header = "Moves a switch's rollout to its next step now.")
  static final class Advance extends RolloutCommand {
    Advance() {
      super("advance");
    }
  }
}
