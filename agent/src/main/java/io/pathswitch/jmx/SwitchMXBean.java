package io.pathswitch.jmx;

/**
 * One switch over JMX: {@code io.pathswitch:type=Switch,name=<name>}. Writable attributes apply
 * from the next call on; a value out of range is refused and changes nothing.
 */
public interface SwitchMXBean {

  String getLegacy();

  String getUnified();

  boolean isEnabled();

  void setEnabled(boolean enabled);

  double getPercentage();

  void setPercentage(double percentage);

  String getMode();

  void setMode(String mode);

  String getState();

  String getStateReason();

  String getRolloutStep();

  long getLegacyCalls();

  long getUnifiedCalls();

  long getFallbackCalls();

  long getUnifiedErrors();

  long getShadowCalls();

  long getShadowMismatches();

  double getLegacyQueriesPerCall();

  double getUnifiedQueriesPerCall();

  /**
   * How much fewer JDBC statements per call the unified path runs than the legacy path: {@code
   * 0.996} when it runs 4 where the legacy path runs 1,000; NaN until both have run.
   */
  double getQueryReduction();

  /** Legacy runs in which one statement shape ran {@code jdbc.repeat-warning} times or more. */
  long getLegacyNPlusOneCalls();

  /** Unified runs in which one statement shape ran {@code jdbc.repeat-warning} times or more. */
  long getUnifiedNPlusOneCalls();

  String getLegacyLastCallAt();

  String getUnifiedLastCallAt();

  void rollback();

  void resume();

  void advance();

  void reset();

  /**
   * {@link #rollback()} for a command line: {@code source} names who asked, for the log. Returns
   * the state and its reason afterwards.
   */
  String rollback(String source);

  /** {@link #resume()} for a command line, as {@link #rollback(String)}. */
  String resume(String source);

  /** {@link #advance()} for a command line, as {@link #rollback(String)}. */
  String advance(String source);

  /**
   * Sets flags from a command line: {@code assignments} such as {@code percentage=25,enabled=true};
   * {@code source} names who asked, for the log. Every assignment is checked before any applies.
   */
  String set(String assignments, String source);
}
