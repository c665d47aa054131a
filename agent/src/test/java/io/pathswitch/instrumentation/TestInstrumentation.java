package io.pathswitch.instrumentation;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;

/** One instrumentation for the test JVM, with the bootstrap classes in place before any use. */
public final class TestInstrumentation {

  private static Instrumentation instrumentation;

  private TestInstrumentation() {}

  public static synchronized Instrumentation get() {
    if (instrumentation == null) {
      instrumentation = ByteBuddyAgent.install();
      try {
        BootstrapClasses.inject(instrumentation);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return instrumentation;
  }
}
