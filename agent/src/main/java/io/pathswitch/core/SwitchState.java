package io.pathswitch.core;

/** The states of a switch, as PRODUCT.md names them. */
public enum SwitchState {
  /** Not enabled: every call takes the legacy path and nothing is counted. */
  OFF,
  /** Diverting at its percentage. */
  ON,
  /** Thresholds tripped: legacy only until the cool-down ends. */
  TRIPPED,
  /** A few unified calls decide between ON and TRIPPED. */
  PROBING,
  /** Cannot be installed; the reason says why. Calls stay on the legacy path. */
  INVALID,
  /** A rollout stopped after a trip or a change by hand, waiting for an operator. */
  PAUSED
}
