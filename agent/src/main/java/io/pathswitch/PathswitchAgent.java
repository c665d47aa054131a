package io.pathswitch;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and dynamic attach ({@link
 * #agentmain}). Neither ever throws: whatever goes wrong is reported once on standard error and the
 * application goes on, on its legacy paths.
 *
 * <p>This class must not name any {@code io.pathswitch.bootstrap} type: those are put on the
 * bootstrap class path first, and loading one earlier from the agent's loader would split them.
 */
public final class PathswitchAgent {

  private PathswitchAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, "launch");
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, "attach");
  }

  private static void start(String arguments, Instrumentation instrumentation, String how) {
    try {
      Pathswitch.start(arguments, instrumentation, how);
    } catch (Throwable t) {
      // The last line of defence: the JVM must never stop because of the agent.
      System.err.println(
          "[pathswitch] installed nothing at "
              + how
              + ": "
              + t
              + "; the application runs untouched on its legacy paths");
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
    }
  }
}
