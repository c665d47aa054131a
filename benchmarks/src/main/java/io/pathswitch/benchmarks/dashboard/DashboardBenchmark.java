package io.pathswitch.benchmarks.dashboard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pathswitch.sample.dashboard.Dashboard;
import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.dashboard.UnifiedDashboardEngine;
import io.pathswitch.sample.data.DataGenerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The sample's dashboard, legacy ({@code 4N + 1} statements) against the unified engine (one), on
 * the sample's own generated data, called directly without the agent. {@code postgresql} uses the
 * database at {@code PATHSWITCH_PG_URL}; {@link io.pathswitch.benchmarks.BenchmarkMain} leaves it
 * out, with a note, when that is not set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DashboardBenchmark {

  @Param({"1000", "10000"})
  private int representatives;

  @Param({"h2", "postgresql"})
  private String database;

  private HikariDataSource pool;
  private Connection keepAlive;
  private DashboardService service;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    // HikariCP's start and stop lines at INFO would be interleaved with JMH's output.
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    HikariConfig config = new HikariConfig();
    config.setPoolName("dashboard-benchmark");
    config.setMaximumPoolSize(10); // as the sample application's pool
    if (database.equals("h2")) {
      config.setJdbcUrl("jdbc:h2:mem:dashboard-" + UUID.randomUUID());
      config.setUsername("sa");
    } else {
      String url = System.getenv("PATHSWITCH_PG_URL");
      if (url == null || url.isBlank()) {
        throw new IllegalStateException("database=postgresql needs PATHSWITCH_PG_URL");
      }
      config.setJdbcUrl(url);
    }
    pool = new HikariDataSource(config);
    // An in-memory H2 database lives while a connection to it is open.
    keepAlive = pool.getConnection();
    DataGenerator.generate(pool, representatives, DataGenerator.DEFAULT_SEED);
    service = new DashboardService(pool);
    requireSameAnswer();
  }

  @Benchmark
  public Dashboard legacy() {
    return service.buildDashboard();
  }

  @Benchmark
  public Dashboard unified() {
    return UnifiedDashboardEngine.buildDashboard(service);
  }

  /** Two paths that answered differently would make the comparison meaningless. */
  private void requireSameAnswer() {
    Dashboard unified = UnifiedDashboardEngine.buildDashboard(service);
    if (unified.representatives().size() != representatives) {
      throw new IllegalStateException(
          "the unified dashboard has "
              + unified.representatives().size()
              + " representatives, expected "
              + representatives);
    }
    if (representatives <= 1000 && !service.buildDashboard().equals(unified)) {
      throw new IllegalStateException("legacy and unified dashboards differ on " + database);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    keepAlive.close();
    pool.close();
  }
}
