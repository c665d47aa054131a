package io.pathswitch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pathswitch.bootstrap.CallStatements;
import io.pathswitch.bootstrap.Statements;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real advice in the real H2 driver, directly and through HikariCP's proxies. */
class StatementCountingTest {

  private static StatementCounting counting;
  private static HikariDataSource pool;

  @BeforeAll
  static void instrumentAndOpenAPool() throws SQLException {
    counting = new StatementCounting(TestInstrumentation.get());
    counting.install();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:counting;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE reps (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      statement.execute("INSERT INTO reps SELECT X, 'r' || X FROM SYSTEM_RANGE(1, 50)");
    }
    Statements.configure(true, 10);
  }

  @AfterAll
  static void restore() {
    Statements.configure(false, 10);
    pool.close();
    assertThat(counting.uninstall()).isTrue();
  }

  @AfterEach
  void closeLeftOverCalls() {
    Statements.end(0);
  }

  @Test
  void countsEachStatementOnceThroughThePoolsProxies() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      for (long id = 1; id <= 5; id++) {
        byId(connection, id);
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT COUNT(*) FROM reps");
        statement.executeUpdate("UPDATE reps SET name = 'x' WHERE id = 50");
      }
      try (PreparedStatement batch =
          connection.prepareStatement("UPDATE reps SET name = ? WHERE id = ?")) {
        for (long id = 40; id < 43; id++) {
          batch.setString(1, "b");
          batch.setLong(2, id);
          batch.addBatch();
        }
        batch.executeBatch();
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(8);
  }

  @Test
  void countsCallableStatementsAndLargeUpdates() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        CallableStatement call = connection.prepareCall("CALL ABS(-3)");
        PreparedStatement update =
            connection.prepareStatement("UPDATE reps SET name = 'y' WHERE id = 49")) {
      call.execute();
      update.executeLargeUpdate();
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void countsStatementsOfTheDriverWithoutAPool() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection =
        java.sql.DriverManager.getConnection("jdbc:h2:mem:counting", "sa", "")) {
      for (long id = 1; id <= 3; id++) {
        byId(connection, id);
      }
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
  }

  @Test
  void findsAnNPlusOnePatternInPreparedStatements() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      try (Statement list = connection.createStatement()) {
        list.executeQuery("SELECT id FROM reps").close();
      }
      for (long id = 1; id <= 12; id++) {
        byId(connection, id);
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(13);
    assertThat(call.repeats()).isEqualTo(12);
    assertThat(call.repeatedShape()).isEqualTo("SELECT id, name FROM reps WHERE id = ?");
  }

  @Test
  void findsAnNPlusOnePatternInSqlBuiltWithLiterals() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (long id = 1; id <= 10; id++) {
        statement.executeQuery("SELECT name FROM reps WHERE id = " + id).close();
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.repeats()).isEqualTo(10);
    assertThat(call.repeatedShape()).isEqualTo("SELECT name FROM reps WHERE id = ?");
  }

  @Test
  void countsNothingOutsideASwitchedCall() throws SQLException {
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    long frame = Statements.begin();

    assertThat(Statements.end(frame).statements()).isZero();
  }

  @Test
  void leavesStatementsOfOtherThreadsToThem() throws Exception {
    long frame = Statements.begin();
    CompletableFuture.runAsync(
            () -> {
              try (Connection connection = pool.getConnection()) {
                byId(connection, 2);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            })
        .get();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(1);
  }

  @Test
  void countsAStatementThatFails() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT nothing FROM nowhere");
    } catch (SQLException expected) {
      // the driver refused it; it was still sent
    }
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void stopsOnUninstallAndCountsClassesLoadedBeforeAnInstall() throws SQLException {
    assertThat(counting.uninstall()).isTrue();
    long uninstalled = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }
    long whileUninstalled = Statements.end(uninstalled).statements();

    counting = new StatementCounting(TestInstrumentation.get());
    counting.install();
    long reinstalled = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(whileUninstalled).isZero();
    assertThat(Statements.end(reinstalled).statements()).isEqualTo(1);
  }

  private static void byId(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT id, name FROM reps WHERE id = ?")) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
      }
    }
  }
}
