package com.example.driver;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A driver's statement, outside the agent's packages so that JDBC counting takes it for one. It is
 * abstract so that it need write only the methods the tests call, which a class the tests generate
 * makes concrete; and its code is valid in a Java 5 class file (no {@code invokedynamic}, no nested
 * class), so that a test can load it with version 49.
 */
public abstract class ExampleStatement implements Statement {

  /** Runs {@code sql}; the driver refuses what starts with {@code FAIL}. */
  @Override
  public boolean execute(String sql) throws SQLException {
    if (sql.startsWith("FAIL")) {
      throw new SQLException("refused");
    }
    return true;
  }

  /** Runs through {@link #execute}, as drivers often do: one statement, nested. */
  @Override
  public int executeUpdate(String sql) throws SQLException {
    execute(sql);
    return 1;
  }

  /** Catches a refusal itself and answers no rows. */
  @Override
  public ResultSet executeQuery(String sql) {
    try {
      execute(sql);
    } catch (SQLException refused) {
      return null;
    }
    return null;
  }

  /** A loop whose head is the method's first instruction, where the entry code goes. */
  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    while (true) {
      if (execute(sql)) {
        return 1;
      }
    }
  }

  @Override
  public int[] executeBatch() {
    return new int[0];
  }
}
