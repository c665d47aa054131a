package io.pathswitch.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code detach <pid>}: takes the agent out of a running JVM. The agent restores the original
 * bytecode of every class it changed, unregisters its beans and meters and stops its thread; the
 * application goes on on its legacy paths, and a later {@code attach} works again.
 */
@Command(
    name = "detach",
    mixinStandardHelpOptions = true,
    header = "Takes pathswitch out of a running JVM.",
    description =
        "Takes pathswitch out of a running JVM: original bytecode restored, its "
            + "JMX beans and meters unregistered, its thread stopped; the application "
            + "runs on its legacy paths. A later attach works again.")
final class DetachCommand extends JvmCommand {

  @Override
  public Integer call() {
    try (Target target = Target.attach(pid);
        AgentConnection agent = target.connect()) {
      agent.requireInstalled();
      String line = agent.detach();
      if (line.contains("could not be restored")) {
        throw new Failure("pid " + pid + ": " + line);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pid", pid);
      json.put("detached", true);
      json.put("message", line);
      print("pid " + pid + ": " + line, json);
      return 0;
    }
  }
}
