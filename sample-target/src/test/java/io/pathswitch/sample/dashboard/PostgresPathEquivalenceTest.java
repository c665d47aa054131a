package io.pathswitch.sample.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathswitch.sample.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

/**
 * The two paths agree on a real PostgreSQL, the one named by {@code PATHSWITCH_PG_URL} (as {@code
 * .ci/run} sets it up). Each test drops and recreates the tables, so give it a throwaway database.
 */
class PostgresPathEquivalenceTest extends PathEquivalenceContract {

  // Checked before each test rather than once in @BeforeAll: Surefire does not report a class that
  // an assumption in @BeforeAll skips at all (SUREFIRE-2300), and a silent skip hides a gap.
  @BeforeEach
  void requirePostgres() {
    assumeTrue(
        TestDatabase.postgresUrl() != null,
        "PATHSWITCH_PG_URL not set: PostgreSQL equivalence test skipped");
  }

  @Override
  TestDatabase openDatabase() throws SQLException {
    return TestDatabase.postgres(TestDatabase.postgresUrl());
  }
}
