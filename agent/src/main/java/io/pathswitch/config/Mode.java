package io.pathswitch.config;

/**
 * Which path serves a diverted call, and whether the other one also runs to compare. Immutable.
 *
 * <p>Written in the config as {@code divert}, {@code shadow} or {@code live}; see {@link
 * Values#mode(String)}.
 */
public enum Mode {
  /** The unified path serves the call; the legacy path does not run. */
  DIVERT,
  /** The legacy path serves the call; the unified path also runs and its result is compared. */
  SHADOW,
  /** The unified path serves the call; the legacy path also runs and its result is compared. */
  LIVE
}
