package io.pathswitch.sample.dashboard;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the column types both paths share, the same way on H2 and on PostgreSQL. */
final class Columns {

  private Columns() {}

  /**
   * A {@code TIMESTAMP WITH TIME ZONE} column as an instant, or null. Both drivers map that type to
   * {@link OffsetDateTime} through JDBC 4.2's {@code getObject(int, Class)}; going through {@code
   * getTimestamp} instead would apply the JVM's default time zone.
   */
  static Instant instant(ResultSet row, int column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
