package io.pathswitch.sample.dashboard;

import io.pathswitch.sample.faults.Faults;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The dashboard in one statement, whatever the number of representatives: the representatives
 * joined to their invoice and allocated-payment totals, each grouped in a subquery (on PostgreSQL,
 * aggregated per representative through LATERAL). It answers exactly what {@link DashboardService}
 * answers.
 *
 * <p>The application never calls this class; pathswitch diverts the legacy methods to it. It reads
 * the service's own data source, and applies {@link Faults} to every call.
 *
 * <p>{@link #representativeSummary(DashboardService, long)} is asked once per representative, so
 * answering each call with its own query would only trade N+1 for N. Instead it loads every summary
 * in one statement and serves the calls of the next {@link #BATCH_LIFETIME} from that batch, one
 * batch per service. The price is staleness: a change to the data shows after at most that long. A
 * dashboard is a report read by people, for whom two seconds do not matter; a caller that needs
 * every write at once should keep this switch off.
 *
 * <p>Thread-safe: a service's batch is loaded by one thread at a time, the others wait for it.
 */
public final class UnifiedDashboardEngine {

  /** How long one batch of summaries serves {@code representativeSummary} calls. */
  public static final Duration BATCH_LIFETIME = Duration.ofSeconds(2);

  /**
   * Every summary in one statement, each table grouped once: the portable form, which H2 (without
   * LATERAL) runs.
   */
  private static final String ALL_SUMMARIES =
      "SELECT r.id, r.name, r.code,"
          + " COALESCE(i.invoice_count, 0), COALESCE(i.total_sales, 0), i.last_invoice_at,"
          + " COALESCE(p.allocated, 0), p.last_payment_at, r.total_debt"
          + " FROM representatives r"
          + " LEFT JOIN (SELECT representative_id, COUNT(*) AS invoice_count,"
          + " SUM(amount) AS total_sales, MAX(created_at) AS last_invoice_at"
          + " FROM invoices GROUP BY representative_id) i ON i.representative_id = r.id"
          + " LEFT JOIN (SELECT representative_id, SUM(amount) AS allocated,"
          + " MAX(payment_date) AS last_payment_at"
          + " FROM payments WHERE is_allocated = TRUE GROUP BY representative_id) p"
          + " ON p.representative_id = r.id"
          + " ORDER BY r.id";

  /**
   * The same summaries on PostgreSQL, each representative's totals aggregated from its own range of
   * the covering indexes (an index-only scan, already in representative order). PostgreSQL plans
   * the grouped form as two hash aggregates over whole tables, then two hash joins and a sort; this
   * form has none of those and ran 10 to 15 % faster at 10,000 representatives. The planner does
   * not pick that plan for the grouped form by itself: it costs the hash aggregates lower.
   */
  private static final String ALL_SUMMARIES_LATERAL =
      "SELECT r.id, r.name, r.code,"
          + " i.invoice_count, COALESCE(i.total_sales, 0), i.last_invoice_at,"
          + " COALESCE(p.allocated, 0), p.last_payment_at, r.total_debt"
          + " FROM representatives r"
          + " CROSS JOIN LATERAL (SELECT COUNT(*) AS invoice_count,"
          + " SUM(amount) AS total_sales, MAX(created_at) AS last_invoice_at"
          + " FROM invoices WHERE representative_id = r.id) i"
          + " CROSS JOIN LATERAL (SELECT SUM(amount) AS allocated,"
          + " MAX(payment_date) AS last_payment_at"
          + " FROM payments WHERE representative_id = r.id AND is_allocated = TRUE) p"
          + " ORDER BY r.id";

  /** Keyed weakly, so a batch goes away with its service. */
  private static final Map<DashboardService, Batch> BATCHES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Where batch ages come from; tests replace it to move time by hand. */
  static volatile LongSupplier ticker = System::nanoTime;

  private UnifiedDashboardEngine() {}

  /**
   * The whole dashboard in one statement, always read fresh.
   *
   * @throws DashboardException when the database fails
   * @throws io.pathswitch.sample.faults.InjectedFaultException when a fault is injected
   */
  public static Dashboard buildDashboard(DashboardService service) {
    Faults.onUnifiedCall();

    List<RepresentativeSummary> summaries = new ArrayList<>();
    for (RepresentativeSummary summary : loadAll(service.dataSource())) {
      summaries.add(withFaults(summary));
    }
    return new Dashboard(summaries);
  }

  /**
   * One representative's summary, served from the service's current batch, which is loaded in one
   * statement when missing or older than {@link #BATCH_LIFETIME}.
   *
   * @return the summary, or null when no representative has this id
   * @throws DashboardException when the database fails
   * @throws io.pathswitch.sample.faults.InjectedFaultException when a fault is injected
   */
  public static RepresentativeSummary representativeSummary(DashboardService service, long id) {
    Faults.onUnifiedCall();

    Batch batch;
    synchronized (BATCHES) {
      batch = BATCHES.computeIfAbsent(service, key -> new Batch());
    }
    RepresentativeSummary summary = batch.current(service.dataSource()).get(id);
    return summary == null ? null : withFaults(summary);
  }

  /** Faults apply on the way out, so the batch stays true and clearing them works at once. */
  private static RepresentativeSummary withFaults(RepresentativeSummary summary) {
    return summary.withTotalSales(Faults.totalSales(summary.id(), summary.totalSales()));
  }

  private static List<RepresentativeSummary> loadAll(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(allSummaries(connection));
        ResultSet rows = statement.executeQuery()) {
      List<RepresentativeSummary> summaries = new ArrayList<>();
      while (rows.next()) {
        summaries.add(
            new RepresentativeSummary(
                rows.getLong(1),
                rows.getString(2),
                rows.getString(3),
                rows.getLong(4),
                rows.getBigDecimal(5),
                Columns.instant(rows, 6),
                rows.getBigDecimal(7),
                Columns.instant(rows, 8),
                rows.getBigDecimal(9)));
      }
      return summaries;
    } catch (SQLException e) {
      throw new DashboardException("summaries of all representatives", e);
    }
  }

  /** The statement for this database; the driver knows its product name without a query. */
  private static String allSummaries(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    return product.equals("PostgreSQL") ? ALL_SUMMARIES_LATERAL : ALL_SUMMARIES;
  }

  /** One service's summaries by id, and when they were read. */
  private static final class Batch {

    private Map<Long, RepresentativeSummary> byId;
    private long loadedAt;

    synchronized Map<Long, RepresentativeSummary> current(DataSource dataSource) {
      long now = ticker.getAsLong();
      if (byId == null || now - loadedAt >= BATCH_LIFETIME.toNanos()) {
        Map<Long, RepresentativeSummary> loaded = new HashMap<>();
        for (RepresentativeSummary summary : loadAll(dataSource)) {
          loaded.put(summary.id(), summary);
        }
        byId = loaded;
        loadedAt = now;
      }
      return byId;
    }
  }
}
