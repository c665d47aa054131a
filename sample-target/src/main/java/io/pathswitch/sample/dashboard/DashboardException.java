package io.pathswitch.sample.dashboard;

import java.sql.SQLException;

/**
 * The database failed while a path computed the dashboard; the message says what was being read.
 */
public class DashboardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DashboardException(String what, SQLException cause) {
    super("cannot read the " + what + ": " + cause.getMessage(), cause);
  }
}
