package io.pathswitch.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.testing.StatementCounter;
import io.pathswitch.sample.testing.TestDatabase;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The point of the unified engine: the legacy path runs 4N + 1 statements, the engine at most 5
 * whatever N. Counted by the tests' own JDBC wrapper.
 */
@TestInstance(Lifecycle.PER_CLASS)
class StatementCountTest {

  private static final int LARGE = 1000;

  private final AtomicLong nanos = new AtomicLong();
  private TestDatabase database;

  @BeforeAll
  void openDatabase() throws SQLException {
    database = TestDatabase.h2();
  }

  @AfterAll
  void closeDatabase() throws SQLException {
    database.close();
  }

  @AfterEach
  void restoreTicker() {
    UnifiedDashboardEngine.ticker = System::nanoTime;
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {0, 10, LARGE})
  void legacyRunsFourStatementsPerRepresentativePlusOne(int representatives) throws SQLException {
    StatementCounter counter = counted(representatives);
    DashboardService service = new DashboardService(counter.dataSource());

    Dashboard dashboard = service.buildDashboard();

    assertThat(dashboard.representatives()).hasSize(representatives);
    assertThat(counter.count()).isEqualTo(4 * representatives + 1);
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {0, 10, LARGE})
  void unifiedRunsAtMostFiveStatementsWhateverTheNumberOfRepresentatives(int representatives)
      throws SQLException {
    StatementCounter counter = counted(representatives);
    DashboardService service = new DashboardService(counter.dataSource());

    Dashboard dashboard = UnifiedDashboardEngine.buildDashboard(service);

    assertThat(dashboard.representatives()).hasSize(representatives);
    assertThat(counter.count()).isBetween(1, 5);
  }

  @Test
  void legacySummaryRunsFourStatementsAndOneForAnUnknownId() throws SQLException {
    StatementCounter counter = counted(10);
    DashboardService service = new DashboardService(counter.dataSource());

    RepresentativeSummary known = service.representativeSummary(3);
    int forKnown = counter.count();
    counter.reset();
    RepresentativeSummary unknown = service.representativeSummary(11);

    assertThat(known).isNotNull();
    assertThat(forKnown).isEqualTo(4);
    assertThat(unknown).isNull();
    assertThat(counter.count()).isEqualTo(1);
  }

  @Test
  void unifiedSummariesOfEveryRepresentativeShareOneBatch() throws SQLException {
    StatementCounter counter = counted(LARGE);
    DashboardService service = new DashboardService(counter.dataSource());
    UnifiedDashboardEngine.ticker = nanos::get;

    for (long id = 1; id <= LARGE; id++) {
      assertThat(UnifiedDashboardEngine.representativeSummary(service, id)).isNotNull();
    }

    assertThat(counter.count()).isBetween(1, 5);
  }

  @Test
  void unifiedBatchIsReloadedOnceItsLifetimeHasPassed() throws SQLException {
    StatementCounter counter = counted(10);
    DashboardService service = new DashboardService(counter.dataSource());
    UnifiedDashboardEngine.ticker = nanos::get;
    UnifiedDashboardEngine.representativeSummary(service, 1);
    int firstLoad = counter.count();

    nanos.addAndGet(UnifiedDashboardEngine.BATCH_LIFETIME.toNanos() - 1);
    UnifiedDashboardEngine.representativeSummary(service, 2);
    int justBeforeExpiry = counter.count();
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    UnifiedDashboardEngine.representativeSummary(service, 3);

    assertThat(justBeforeExpiry).isEqualTo(firstLoad);
    assertThat(counter.count()).isEqualTo(2 * firstLoad);
  }

  @Test
  void eachServiceHasItsOwnBatch() throws SQLException {
    StatementCounter counter = counted(10);
    DashboardService first = new DashboardService(counter.dataSource());
    DashboardService second = new DashboardService(counter.dataSource());
    UnifiedDashboardEngine.ticker = nanos::get;

    UnifiedDashboardEngine.representativeSummary(first, 1);
    int oneBatch = counter.count();
    UnifiedDashboardEngine.representativeSummary(second, 1);

    assertThat(counter.count()).isEqualTo(2 * oneBatch);
  }

  private StatementCounter counted(int representatives) throws SQLException {
    database.generate(representatives, representatives);
    return new StatementCounter(database.dataSource());
  }
}
