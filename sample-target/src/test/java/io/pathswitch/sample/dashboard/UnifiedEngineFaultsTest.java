package io.pathswitch.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.sample.faults.Faults;
import io.pathswitch.sample.faults.InjectedFaultException;
import io.pathswitch.sample.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/** Faults reach the unified engine, and only the unified engine. */
@TestInstance(Lifecycle.PER_CLASS)
class UnifiedEngineFaultsTest {

  private static final int REPRESENTATIVES = 50;

  private TestDatabase database;
  private DashboardService service;

  @BeforeAll
  void openDatabase() throws SQLException {
    database = TestDatabase.h2().generate(REPRESENTATIVES, 7);
    service = new DashboardService(database.dataSource());
  }

  @AfterAll
  void closeDatabase() throws SQLException {
    database.close();
  }

  @AfterEach
  void clearFaults() {
    Faults.clear();
  }

  @Test
  void errorRateOneMakesEveryUnifiedCallThrow() {
    Faults.set(new Faults.Settings(1.0, Duration.ZERO, 0));

    assertThatThrownBy(() -> UnifiedDashboardEngine.buildDashboard(service))
        .isInstanceOf(InjectedFaultException.class)
        .hasMessageContaining("failed on purpose");
    assertThatThrownBy(() -> UnifiedDashboardEngine.representativeSummary(service, 1))
        .isInstanceOf(InjectedFaultException.class);
  }

  @Test
  void wrongRateOneChangesEveryTotalOfSalesAndNothingElse() {
    Dashboard legacy = service.buildDashboard();
    Faults.set(new Faults.Settings(0, Duration.ZERO, 1.0));

    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);
    RepresentativeSummary one = UnifiedDashboardEngine.representativeSummary(service, 1);

    assertThat(unified).isNotEqualTo(legacy);
    for (int i = 0; i < REPRESENTATIVES; i++) {
      RepresentativeSummary truth = legacy.representatives().get(i);
      RepresentativeSummary wrong = unified.representatives().get(i);
      assertThat(wrong.totalSales()).isEqualTo(truth.totalSales().add(BigDecimal.ONE));
      assertThat(wrong.withTotalSales(truth.totalSales())).isEqualTo(truth);
    }
    assertThat(one.totalSales()).isNotEqualTo(service.representativeSummary(1).totalSales());
  }

  @Test
  void clearingTheFaultsRestoresTheTrueAnswerAtOnce() {
    Faults.set(new Faults.Settings(0, Duration.ZERO, 1.0));
    UnifiedDashboardEngine.representativeSummary(service, 1); // loads the batch while wrong

    Faults.set(new Faults.Settings(0.0, Duration.ZERO, 0.0));
    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);
    RepresentativeSummary one = UnifiedDashboardEngine.representativeSummary(service, 1);

    assertThat(Faults.settings().none()).isTrue();
    assertThat(unified).isEqualTo(service.buildDashboard());
    assertThat(one).isEqualTo(service.representativeSummary(1));
  }

  @Test
  void aDelaySlowsTheUnifiedEngineDown() {
    Faults.set(new Faults.Settings(0, Duration.ofMillis(100), 0));

    long start = System.nanoTime();
    UnifiedDashboardEngine.buildDashboard(service);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theLegacyPathIgnoresEveryFault() {
    Dashboard before = service.buildDashboard();
    Faults.set(new Faults.Settings(1.0, Duration.ZERO, 1.0));

    Dashboard during = service.buildDashboard();

    assertThat(during).isEqualTo(before);
  }
}
