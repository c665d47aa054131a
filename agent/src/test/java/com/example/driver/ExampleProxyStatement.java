package com.example.driver;

import java.sql.SQLException;
import java.sql.Statement;

/** A pool's proxy around a driver's statement, which it delegates to: one statement, nested. */
public abstract class ExampleProxyStatement implements Statement {

  private Statement delegate;

  public ExampleProxyStatement around(Statement statement) {
    delegate = statement;
    return this;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return delegate.execute(sql);
  }
}
