package io.pathswitch.sample.testing;

import io.pathswitch.sample.data.Schema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Hand-written rows for the cases where the two paths could disagree, so that they are covered
 * whatever the generator happens to produce.
 *
 * <ul>
 *   <li>1: no invoices and no payments at all;
 *   <li>2: invoices sharing one timestamp, and only unallocated payments;
 *   <li>3: cents that do not add up in binary (0.10 + 0.20), allocated payments sharing their
 *       latest timestamp, and an unallocated payment later than any allocated one;
 *   <li>4: a name with quotes, a backslash and letters outside ASCII.
 * </ul>
 */
public final class EdgeCases {

  public static final Instant T1 = Instant.parse("2024-03-01T10:15:00Z");
  public static final Instant T2 = Instant.parse("2024-03-02T08:00:00Z");
  public static final Instant T3 = Instant.parse("2024-06-30T23:59:00Z");
  public static final String QUOTED_NAME = "Zoë \"Z\\Z\" O'Neill";

  private EdgeCases() {}

  public static void load(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      Schema.recreate(connection);

      representative(connection, 1, "Ana Almeida", "0.00");
      representative(connection, 2, "Bilal Brennan", "300.00");
      representative(connection, 3, "Chen Castillo", "0.25");
      representative(connection, 4, QUOTED_NAME, "0.00");

      invoice(connection, 1, 2, "100.00", T1);
      invoice(connection, 2, 2, "200.00", T1);
      invoice(connection, 3, 3, "0.10", T1);
      invoice(connection, 4, 3, "0.20", T2);

      payment(connection, 1, 2, "50.00", false, T2);
      payment(connection, 2, 3, "0.02", true, T2);
      payment(connection, 3, 3, "0.03", true, T2);
      payment(connection, 4, 3, "9.99", false, T3);
      connection.commit();
    }
  }

  private static void representative(Connection connection, long id, String name, String debt)
      throws SQLException {
    try (PreparedStatement row =
        connection.prepareStatement(
            "INSERT INTO representatives (id, name, code, total_debt) VALUES (?, ?, ?, ?)")) {
      row.setLong(1, id);
      row.setString(2, name);
      row.setString(3, "EDGE-" + id);
      row.setBigDecimal(4, new BigDecimal(debt));
      row.executeUpdate();
    }
  }

  private static void invoice(
      Connection connection, long id, long representative, String amount, Instant at)
      throws SQLException {
    try (PreparedStatement row =
        connection.prepareStatement(
            "INSERT INTO invoices (id, representative_id, amount, created_at)"
                + " VALUES (?, ?, ?, ?)")) {
      row.setLong(1, id);
      row.setLong(2, representative);
      row.setBigDecimal(3, new BigDecimal(amount));
      row.setObject(4, at.atOffset(ZoneOffset.UTC));
      row.executeUpdate();
    }
  }

  private static void payment(
      Connection connection,
      long id,
      long representative,
      String amount,
      boolean allocated,
      Instant at)
      throws SQLException {
    try (PreparedStatement row =
        connection.prepareStatement(
            "INSERT INTO payments (id, representative_id, amount, is_allocated, payment_date)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      row.setLong(1, id);
      row.setLong(2, representative);
      row.setBigDecimal(3, new BigDecimal(amount));
      row.setBoolean(4, allocated);
      row.setObject(5, at.atOffset(ZoneOffset.UTC));
      row.executeUpdate();
    }
  }
}
