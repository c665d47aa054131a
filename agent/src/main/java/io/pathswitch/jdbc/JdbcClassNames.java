package io.pathswitch.jdbc;

import java.util.List;

/**
 * Which classes JDBC counting looks at, by name alone, before anything reads their class files: a
 * name that contains {@code Statement} or {@code Connection}, outside the JDK and the agent. Every
 * driver and pool we know names its classes so; see {@link StatementCounting}. Names no ASM type,
 * since it judges every class the JVM loads.
 */
public final class JdbcClassNames {

  /** The JDK's classes and the agent's own are never counted. */
  static final List<String> IGNORED_PREFIXES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "io.pathswitch.");

  private JdbcClassNames() {}

  /** Whether the class of this binary name ({@code a.b.C}) may be a statement or a connection. */
  public static boolean mayCount(String name) {
    if (!name.contains("Statement") && !name.contains("Connection")) {
      return false;
    }
    for (String prefix : IGNORED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }
}
