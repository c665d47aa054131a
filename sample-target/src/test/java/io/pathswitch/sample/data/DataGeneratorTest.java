package io.pathswitch.sample.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.dashboard.Dashboard;
import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.dashboard.RepresentativeSummary;
import io.pathswitch.sample.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

@TestInstance(Lifecycle.PER_CLASS)
class DataGeneratorTest {

  private TestDatabase database;

  @BeforeAll
  void openDatabase() throws SQLException {
    database = TestDatabase.h2();
  }

  @AfterAll
  void closeDatabase() throws SQLException {
    database.close();
  }

  @Test
  void theSameSeedGivesTheSameDataAndAnotherSeedOtherData() throws SQLException {
    Dashboard first = dashboard(100, 42);
    Dashboard again = dashboard(100, 42);
    Dashboard other = dashboard(100, 43);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aThousandRepresentativesCoverEveryCaseThePathsCouldDisagreeOn() throws SQLException {
    DataGenerator.Counts counts = DataGenerator.generate(database.dataSource(), 1000, 1);

    assertThat(counts.representatives()).isEqualTo(1000);
    assertThat(
            count(
                "SELECT COUNT(*) FROM representatives r WHERE NOT EXISTS"
                    + " (SELECT 1 FROM invoices i WHERE i.representative_id = r.id)"))
        .isPositive();
    assertThat(
            count(
                "SELECT COUNT(*) FROM representatives r WHERE NOT EXISTS"
                    + " (SELECT 1 FROM payments p WHERE p.representative_id = r.id)"))
        .isPositive();
    assertThat(count("SELECT COUNT(*) FROM payments WHERE is_allocated = FALSE")).isPositive();
    assertThat(count("SELECT COUNT(*) FROM invoices WHERE MOD(amount * 100, 100) <> 0"))
        .isPositive();
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT representative_id, created_at FROM invoices"
                    + " GROUP BY representative_id, created_at HAVING COUNT(*) > 1) t"))
        .isPositive();
    assertThat(
            count(
                "SELECT MAX(c) FROM (SELECT COUNT(*) AS c FROM invoices"
                    + " GROUP BY representative_id) t"))
        .isLessThanOrEqualTo(DataGenerator.MAX_ROWS);
  }

  @Test
  void debtIsTheInvoicesLessTheAllocatedPayments() throws SQLException {
    Dashboard dashboard = dashboard(200, 5);

    for (RepresentativeSummary summary : dashboard.representatives()) {
      BigDecimal expected = summary.totalSales().subtract(summary.allocatedPayments());
      assertThat(summary.debt()).as("representative %d", summary.id()).isEqualTo(expected);
    }
  }

  @Test
  void tenThousandRepresentativesLoadInAFewSeconds() throws SQLException {
    long start = System.nanoTime();

    DataGenerator.Counts counts = DataGenerator.generate(database.dataSource(), 10_000, 9);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(counts.representatives()).isEqualTo(10_000);
    assertThat(counts.invoices()).isGreaterThan(100_000);
    // Generous, for a busy build machine: it took under 4 s on two shared cores.
    assertThat(elapsed).isLessThan(Duration.ofSeconds(20));
  }

  private Dashboard dashboard(int representatives, long seed) throws SQLException {
    database.generate(representatives, seed);
    return new DashboardService(database.dataSource()).buildDashboard();
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
