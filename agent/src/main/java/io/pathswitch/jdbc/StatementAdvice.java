package io.pathswitch.jdbc;

import io.pathswitch.bootstrap.Statements;
import net.bytebuddy.asm.Advice;

/**
 * The code inlined into JDBC drivers' and pools' statement and connection classes. Byte Buddy
 * copies these bodies into the instrumented methods, so they name only bootstrap-visible types, and
 * they suppress whatever they throw: the advice must never fail a driver call.
 */
final class StatementAdvice {

  private StatementAdvice() {}

  /** On {@code execute*} and {@code execute[Large]Batch} of a {@code java.sql.Statement}. */
  static final class Execute {

    private Execute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object statement, @Advice.Argument(value = 0, optional = true) Object sql) {
      Statements.enter(statement, sql);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
      Statements.exit();
    }
  }

  /** On {@code prepareStatement(String…)} and {@code prepareCall(String…)} of a connection. */
  static final class Prepare {

    private Prepare() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      Statements.prepared(statement, sql);
    }
  }
}
