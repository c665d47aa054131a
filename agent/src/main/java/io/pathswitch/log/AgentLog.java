package io.pathswitch.log;

/**
 * Sets up the agent's own SLF4J Simple before any logger exists. The library is relocated inside
 * the agent's jar, and so are these property names (the shade plugin rewrites string constants), so
 * an application's own SLF4J is neither read nor changed.
 */
public final class AgentLog {

  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private AgentLog() {}

  /** Standard error, a {@code [pathswitch]} prefix and the time; {@code level} as configured. */
  public static void configure(String level) {
    set("logFile", "System.err");
    set("defaultLogLevel", level);
    set("showDateTime", "true");
    set("dateTimeFormat", "'[pathswitch]' HH:mm:ss.SSS");
    set("showThreadName", "false");
    set("showLogName", "false");
    set("showShortLogName", "false");
    set("levelInBrackets", "false");
  }

  private static void set(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
