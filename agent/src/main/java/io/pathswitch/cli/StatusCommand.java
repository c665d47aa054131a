package io.pathswitch.cli;

import picocli.CommandLine.Command;

/** {@code status <pid>}: every switch of the agent in a running JVM. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Shows every switch of pathswitch in a running JVM.",
    description =
        "Shows every switch: state and reason, flags, rollout step, calls per "
            + "path, fallbacks, errors, JDBC statements per call when counted and "
            + "their reduction.")
final class StatusCommand extends JvmCommand {

  @Override
  public Integer call() {
    try (Target target = Target.attach(pid);
        AgentConnection agent = target.connect()) {
      agent.requireInstalled();
      StatusReport report = report(agent, pid);
      print(report.text(), report.json());
      return 0;
    }
  }
}
