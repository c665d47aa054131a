package io.pathswitch.sample.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The dashboard's three tables, in SQL that H2 and PostgreSQL both accept.
 *
 * <p>Ids are given by the generator rather than by the database, because H2 and PostgreSQL spell
 * generated keys differently and the data must be the same on both.
 */
public final class Schema {

  private static final List<String> DROP =
      List.of(
          "DROP TABLE IF EXISTS payments",
          "DROP TABLE IF EXISTS invoices",
          "DROP TABLE IF EXISTS representatives");

  private static final List<String> CREATE =
      List.of(
          "CREATE TABLE representatives ("
              + "id BIGINT PRIMARY KEY, "
              + "name VARCHAR(200) NOT NULL, "
              + "code VARCHAR(32) NOT NULL, "
              + "total_debt DECIMAL(14,2) NOT NULL)",
          "CREATE TABLE invoices ("
              + "id BIGINT PRIMARY KEY, "
              + "representative_id BIGINT NOT NULL REFERENCES representatives (id), "
              + "amount DECIMAL(14,2) NOT NULL, "
              + "created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
          "CREATE TABLE payments ("
              + "id BIGINT PRIMARY KEY, "
              + "representative_id BIGINT NOT NULL REFERENCES representatives (id), "
              + "amount DECIMAL(14,2) NOT NULL, "
              + "is_allocated BOOLEAN NOT NULL, "
              + "payment_date TIMESTAMP WITH TIME ZONE NOT NULL)",
          // Each index holds every column the dashboard reads from its table, in the order both
          // paths group by, so either path reads a representative's rows from the index alone
          // (an index-only scan on PostgreSQL) instead of visiting the table for each row.
          // is_allocated comes second so the payments lookup narrows on it inside the index.
          "CREATE INDEX invoices_representative_totals"
              + " ON invoices (representative_id, created_at, amount)",
          "CREATE INDEX payments_representative_totals"
              + " ON payments (representative_id, is_allocated, payment_date, amount)");

  private Schema() {}

  /** Drops the three tables if they exist and creates them empty. */
  public static void recreate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : DROP) {
        statement.execute(sql);
      }
      for (String sql : CREATE) {
        statement.execute(sql);
      }
    }
  }
}
