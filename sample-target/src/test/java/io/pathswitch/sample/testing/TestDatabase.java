package io.pathswitch.sample.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pathswitch.sample.data.DataGenerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A pooled database for tests: a private in-memory H2 database, or the PostgreSQL database named by
 * {@code PATHSWITCH_PG_URL}. Pooled because the legacy path opens a connection per representative,
 * and a new physical connection each time would make the tests slow rather than thorough.
 */
public final class TestDatabase implements AutoCloseable {

  /** Where the PostgreSQL tests find their database; they are skipped when it is unset. */
  public static final String POSTGRES_URL_VARIABLE = "PATHSWITCH_PG_URL";

  private final HikariDataSource pool;
  private final Connection keepAlive;

  private TestDatabase(String url, boolean h2) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    // A fixed-size pool: with fewer idle connections than its maximum, HikariCP keeps opening and
    // closing connections in the background, which made these tests three times slower.
    config.setMaximumPoolSize(4);
    if (h2) {
      config.setUsername("sa");
    }
    this.pool = new HikariDataSource(config);
    // An in-memory H2 database lives while a connection to it is open; this one outlives the
    // pool's.
    this.keepAlive = h2 ? pool.getConnection() : null;
  }

  /** A new in-memory H2 database, gone once this is closed. */
  public static TestDatabase h2() throws SQLException {
    return new TestDatabase("jdbc:h2:mem:test-" + UUID.randomUUID(), true);
  }

  /** The database at {@code PATHSWITCH_PG_URL}, or null when that is not set. */
  public static String postgresUrl() {
    String url = System.getenv(POSTGRES_URL_VARIABLE);
    return url == null || url.isBlank() ? null : url;
  }

  public static TestDatabase postgres(String url) throws SQLException {
    return new TestDatabase(url, false);
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Drops and recreates the tables, then fills them as the application would. */
  public TestDatabase generate(int representatives, long seed) throws SQLException {
    DataGenerator.generate(pool, representatives, seed);
    return this;
  }

  /** Runs one statement, such as the DDL a test breaks the schema with. */
  public void execute(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      if (keepAlive != null) {
        keepAlive.close();
      }
    } finally {
      pool.close();
    }
  }
}
