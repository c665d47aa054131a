package io.pathswitch.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.testing.EdgeCases;
import io.pathswitch.sample.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The legacy path and the unified engine must return equal dashboards and summaries on any data.
 * Each database runs the same checks: a subclass says which database. One database serves the
 * class; every test drops and recreates its tables.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class PathEquivalenceContract {

  static final int SEEDS = 300;
  static final int MAX_REPRESENTATIVES = 30;

  private TestDatabase database;

  /** Opens the database this class tests on. */
  abstract TestDatabase openDatabase() throws SQLException;

  static LongStream seeds() {
    return LongStream.range(0, SEEDS);
  }

  /** 0 to 30 representatives, so every seed is quick and N = 0 comes up too. */
  static int representativesFor(long seed) {
    return (int) (seed % (MAX_REPRESENTATIVES + 1));
  }

  @AfterAll
  void closeDatabase() throws SQLException {
    if (database != null) {
      database.close();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void legacyAndUnifiedAgreeOnTheDashboardAndOnEachRepresentative(long seed) throws SQLException {
    int representatives = representativesFor(seed);
    DashboardService service = service(representatives, seed);

    Dashboard legacy = service.buildDashboard();
    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);
    List<RepresentativeSummary> legacySummaries =
        summaries(representatives, service::representativeSummary);
    List<RepresentativeSummary> unifiedSummaries =
        summaries(representatives, id -> UnifiedDashboardEngine.representativeSummary(service, id));

    assertThat(unified)
        .as("dashboards for seed %d with %d representatives", seed, representatives)
        .isEqualTo(legacy);
    assertThat(legacy.representatives())
        .as("seed %d", seed)
        .hasSize(representatives)
        .isSortedAccordingTo(Comparator.comparingLong(RepresentativeSummary::id));
    assertThat(unifiedSummaries)
        .as("summaries of ids 0 to %d for seed %d", representatives + 1, seed)
        .isEqualTo(legacySummaries);
  }

  @Test
  void bothPathsAgreeOnTheEdgeCases() throws SQLException {
    DashboardService service = edgeCases();

    Dashboard legacy = service.buildDashboard();
    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);

    assertThat(unified).isEqualTo(legacy);
    assertThat(legacy.representatives()).hasSize(4);
    for (RepresentativeSummary summary : legacy.representatives()) {
      assertThat(UnifiedDashboardEngine.representativeSummary(service, summary.id()))
          .isEqualTo(service.representativeSummary(summary.id()))
          .isEqualTo(summary);
    }
  }

  @Test
  void aRepresentativeWithoutRowsHasZeroTotalsAndNoTimes() throws SQLException {
    DashboardService service = edgeCases();

    RepresentativeSummary legacy = service.representativeSummary(1);
    RepresentativeSummary unified = UnifiedDashboardEngine.representativeSummary(service, 1);

    assertThat(unified).isEqualTo(legacy);
    assertThat(legacy.invoiceCount()).isZero();
    assertThat(legacy.totalSales()).isEqualTo(new BigDecimal("0.00"));
    assertThat(legacy.lastInvoiceAt()).isNull();
    assertThat(legacy.allocatedPayments()).isEqualTo(new BigDecimal("0.00"));
    assertThat(legacy.lastPaymentAt()).isNull();
    assertThat(legacy.debt()).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void unallocatedPaymentsCountNeitherInTheTotalNorInTheLastDate() throws SQLException {
    DashboardService service = edgeCases();

    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);

    RepresentativeSummary onlyUnallocated = unified.representatives().get(1);
    assertThat(onlyUnallocated.invoiceCount()).isEqualTo(2);
    assertThat(onlyUnallocated.totalSales()).isEqualTo(new BigDecimal("300.00"));
    assertThat(onlyUnallocated.lastInvoiceAt()).isEqualTo(EdgeCases.T1);
    assertThat(onlyUnallocated.allocatedPayments()).isEqualTo(new BigDecimal("0.00"));
    assertThat(onlyUnallocated.lastPaymentAt()).isNull();
    RepresentativeSummary mixed = unified.representatives().get(2);
    assertThat(mixed.totalSales()).isEqualTo(new BigDecimal("0.30"));
    assertThat(mixed.lastInvoiceAt()).isEqualTo(EdgeCases.T2);
    assertThat(mixed.allocatedPayments()).isEqualTo(new BigDecimal("0.05"));
    assertThat(mixed.lastPaymentAt()).isEqualTo(EdgeCases.T2);
    assertThat(mixed.debt()).isEqualTo(new BigDecimal("0.25"));
    assertThat(service.buildDashboard()).isEqualTo(unified);
  }

  @Test
  void bothPathsReturnAnEmptyDashboardWithoutRepresentatives() throws SQLException {
    DashboardService service = service(0, 1);

    Dashboard legacy = service.buildDashboard();
    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);

    assertThat(legacy.representatives()).isEmpty();
    assertThat(unified).isEqualTo(legacy);
  }

  /** The summaries of ids 0 to N + 1, of which the first and the last do not exist. */
  private static List<RepresentativeSummary> summaries(
      int representatives, LongFunction<RepresentativeSummary> summary) {
    return LongStream.rangeClosed(0, representatives + 1).mapToObj(summary).toList();
  }

  private DashboardService service(int representatives, long seed) throws SQLException {
    database().generate(representatives, seed);
    return new DashboardService(database().dataSource());
  }

  private DashboardService edgeCases() throws SQLException {
    EdgeCases.load(database().dataSource());
    return new DashboardService(database().dataSource());
  }

  /** Opened on first use, after any assumption of a subclass has let the test run. */
  private TestDatabase database() throws SQLException {
    if (database == null) {
      database = openDatabase();
    }
    return database;
  }
}
