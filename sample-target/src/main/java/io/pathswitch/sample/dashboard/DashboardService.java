package io.pathswitch.sample.dashboard;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The dashboard as it has always been computed: one lookup and three aggregate queries per
 * representative, the N+1 pattern, so {@code 4N + 1} statements for N representatives.
 *
 * <p>pathswitch diverts {@link #buildDashboard()} and {@link #representativeSummary(long)} to
 * {@link UnifiedDashboardEngine}; this class knows nothing of that. Thread-safe: it keeps no state
 * besides the data source, and each summary borrows its own connection.
 */
public class DashboardService {

  private static final String LIST_REPRESENTATIVES = "SELECT id FROM representatives ORDER BY id";
  private static final String FIND_REPRESENTATIVE =
      "SELECT id, name, code FROM representatives WHERE id = ?";
  private static final String INVOICE_TOTALS =
      "SELECT COUNT(*), COALESCE(SUM(amount), 0), MAX(created_at)"
          + " FROM invoices WHERE representative_id = ?";
  private static final String ALLOCATED_PAYMENT_TOTALS =
      "SELECT COALESCE(SUM(amount), 0), MAX(payment_date)"
          + " FROM payments WHERE representative_id = ? AND is_allocated = TRUE";
  private static final String DEBT = "SELECT total_debt FROM representatives WHERE id = ?";

  private final DataSource dataSource;

  public DashboardService(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The data source this service reads; the unified engine reads the same one. */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The whole dashboard, the legacy way: one statement lists the representatives, then {@link
   * #representativeSummary(long)} runs four statements for each of them.
   *
   * @throws DashboardException when the database fails
   */
  public Dashboard buildDashboard() {
    List<RepresentativeSummary> summaries = new ArrayList<>();
    for (long id : representativeIds()) {
      RepresentativeSummary summary = representativeSummary(id);
      if (summary != null) { // deleted since it was listed
        summaries.add(summary);
      }
    }
    return new Dashboard(summaries);
  }

  /**
   * One representative's summary in four statements: the lookup, the invoice totals, the allocated
   * payment totals and the debt.
   *
   * @return the summary, or null when no representative has this id (after the lookup alone)
   * @throws DashboardException when the database fails
   */
  public RepresentativeSummary representativeSummary(long id) {
    try (Connection connection = dataSource.getConnection()) {
      return summary(connection, id);
    } catch (SQLException e) {
      throw new DashboardException("summary of representative " + id, e);
    }
  }

  private List<Long> representativeIds() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(LIST_REPRESENTATIVES);
        ResultSet rows = statement.executeQuery()) {
      List<Long> ids = new ArrayList<>();
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new DashboardException("list of representatives", e);
    }
  }

  private static RepresentativeSummary summary(Connection connection, long id) throws SQLException {
    Identity identity =
        byId(
            connection,
            FIND_REPRESENTATIVE,
            id,
            row -> new Identity(row.getString(2), row.getString(3)));
    if (identity == null) {
      return null;
    }

    InvoiceTotals invoices =
        byId(
            connection,
            INVOICE_TOTALS,
            id,
            row ->
                new InvoiceTotals(row.getLong(1), row.getBigDecimal(2), Columns.instant(row, 3)));
    PaymentTotals payments =
        byId(
            connection,
            ALLOCATED_PAYMENT_TOTALS,
            id,
            row -> new PaymentTotals(row.getBigDecimal(1), Columns.instant(row, 2)));
    BigDecimal debt = byId(connection, DEBT, id, row -> row.getBigDecimal(1));

    return new RepresentativeSummary(
        id,
        identity.name(),
        identity.code(),
        invoices.count(),
        invoices.total(),
        invoices.last(),
        payments.total(),
        payments.last(),
        debt);
  }

  /** Runs one statement for one representative and reads its single row, or null if none. */
  private static <T> T byId(Connection connection, String sql, long id, RowReader<T> reader)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? reader.read(row) : null;
      }
    }
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private record Identity(String name, String code) {}

  private record InvoiceTotals(long count, BigDecimal total, Instant last) {}

  private record PaymentTotals(BigDecimal total, Instant last) {}
}
