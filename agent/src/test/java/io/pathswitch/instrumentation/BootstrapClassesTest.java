package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.bootstrap.Routes;
import org.junit.jupiter.api.Test;

/** Whether the bootstrap classes already in a JVM are the ones this agent's advice calls. */
class BootstrapClassesTest {

  @Test
  void acceptsBootstrapClassesOfItsOwnRevision() {
    assertThat(BootstrapClasses.conflict(Routes.class)).isEmpty();
  }

  @Test
  void refusesBootstrapClassesOfTheFirstRevisionWhichHadNoRevisionField() {
    assertThat(BootstrapClasses.conflict(FirstRevisionRoutes.class))
        .hasValue(
            "this JVM holds the bootstrap classes of another pathswitch version (revision 1, this"
                + " agent needs "
                + Routes.REVISION
                + "), which only a restart replaces; restart the JVM to use this version, or attach"
                + " the version that was attached before");
  }

  @Test
  void refusesBootstrapClassesOfALaterRevision() {
    assertThat(BootstrapClasses.conflict(LaterRevisionRoutes.class))
        .hasValueSatisfying(problem -> assertThat(problem).contains("(revision 99, this agent"));
  }

  /** Stands for the Routes of an agent built before the revision field existed. */
  static final class FirstRevisionRoutes {}

  /** Stands for the Routes of a newer agent. */
  static final class LaterRevisionRoutes {
    public static final int REVISION = 99;
  }
}
