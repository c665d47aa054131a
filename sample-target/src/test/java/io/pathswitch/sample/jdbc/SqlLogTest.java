package io.pathswitch.sample.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqlLogTest {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private TestDatabase database;
  private DataSource logged;

  @BeforeEach
  void openDatabase() throws SQLException {
    database = TestDatabase.h2().generate(10, 1);
    logged = SqlLog.wrap(database.dataSource(), lines::add);
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    database.close();
  }

  @Test
  void printsOneLinePerStatementWithItsParameters() throws SQLException {
    try (Connection connection = logged.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT name\n  FROM representatives\n WHERE id = ? AND code <> ?")) {
      statement.setLong(1, 3);
      statement.setString(2, "none");

      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
      }
    }

    assertThat(lines)
        .containsExactly(
            "Query: SELECT name FROM representatives WHERE id = ? AND code <> ? [3, 'none']");
  }

  @Test
  void printsPlainStatementsAndOneLinePerBatch() throws SQLException {
    try (Connection connection = logged.getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE notes (id INT)");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes VALUES (?)")) {
        for (int i = 0; i < 3; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }

        insert.executeBatch();
        insert.executeBatch(); // empty: nothing reaches the database, nothing is printed
      }
    }

    assertThat(lines)
        .containsExactly(
            "Query: CREATE TABLE notes (id INT)",
            "Query: INSERT INTO notes VALUES (?) [batch of 3]");
  }

  @Test
  void printsEveryStatementOfTheLegacyDashboard() {
    DashboardService service = new DashboardService(logged);

    service.buildDashboard();

    assertThat(lines).hasSize(41).allMatch(line -> line.startsWith(SqlLog.PREFIX));
  }

  @Test
  void statementsAnswerWithTheLoggedConnection() throws SQLException {
    try (Connection connection = logged.getConnection();
        Statement statement = connection.createStatement()) {

      Connection owner = statement.getConnection();

      assertThat(owner).isSameAs(connection);
    }
  }
}
