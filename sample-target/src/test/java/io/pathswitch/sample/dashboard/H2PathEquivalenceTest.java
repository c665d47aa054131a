package io.pathswitch.sample.dashboard;

import io.pathswitch.sample.testing.TestDatabase;
import java.sql.SQLException;

/** The two paths agree on the embedded H2 database, a private one for the class. */
class H2PathEquivalenceTest extends PathEquivalenceContract {

  @Override
  TestDatabase openDatabase() throws SQLException {
    return TestDatabase.h2();
  }
}
