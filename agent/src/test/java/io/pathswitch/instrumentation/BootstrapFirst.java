package io.pathswitch.instrumentation;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Puts the bootstrap classes on the bootstrap class path before any test class runs. Whichever
 * class first names {@code io.pathswitch.bootstrap.Statements} decides where it comes from for the
 * whole test JVM: if a test loaded it from the class path before the injection, the agent's code
 * and the advice inlined into fixtures would see two copies with separate state.
 */
public final class BootstrapFirst implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    TestInstrumentation.get();
  }
}
