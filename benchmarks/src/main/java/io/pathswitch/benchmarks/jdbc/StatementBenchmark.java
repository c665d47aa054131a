package io.pathswitch.benchmarks.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JDBC statement without the agent: a prepared {@code select 1} on embedded H2, the baseline of
 * {@link CountedStatementBenchmark}, which runs the same statement in forks with the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class StatementBenchmark {

  private Connection connection;
  private PreparedStatement selectOne;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    connection = DriverManager.getConnection("jdbc:h2:mem:statements", "sa", "");
    selectOne = connection.prepareStatement("select 1");
  }

  @Benchmark
  public int selectOne() throws SQLException {
    return run(selectOne);
  }

  static int run(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    selectOne.close();
    connection.close();
  }
}
