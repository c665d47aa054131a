package io.pathswitch.core;

/**
 * Hears what a switch does; the agent logs it, sends JMX notifications and keeps the state. Every
 * method does nothing unless overridden, so a listener hears only what it needs.
 */
public interface SwitchListener {

  /** A flag changed: {@code attribute} is its JMX name. */
  default void changed(
      Switch sw, String attribute, Object oldValue, Object newValue, String cause) {}

  default void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {}

  default void unifiedFirstRan(Switch sw, long nanos, long statements) {}

  default void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {}

  /**
   * The thresholds moved while a paused rollout keeps the switch PAUSED, so no change of state says
   * it: {@code from} and {@code to} are ON, TRIPPED or PROBING.
   */
  default void thresholdsMoved(Switch sw, String from, String to, String reason) {}

  /** A rollout step is due but does not advance; said once per step. */
  default void held(Switch sw, int stepIndex, String reason) {}

  default void mismatch(
      Switch sw, Object[] args, Object legacyResult, Object unifiedResult, long count) {}

  /**
   * One statement shape ran {@code times} times in one call on {@code path} ({@code legacy} or
   * {@code unified}): an N+1 pattern. Said once per switch and path.
   */
  default void repeatedStatements(Switch sw, String path, String shape, int times) {}

  /**
   * A unified call ran more statements than {@code trip.max-queries} and counts as failed; said
   * once per switch, since the thresholds' reason only says that calls failed.
   */
  default void tooManyQueries(Switch sw, long statements, int max) {}

  /** The switch is ON, yet its legacy method has not been called since it was enabled. */
  default void neverCalled(Switch sw, long enabledAtMillis) {}

  /** The agent could not handle part of a call as it should; said once per switch. */
  default void agentProblem(Switch sw, String problem) {}
}
