package io.pathswitch.benchmarks.jdbc;

import io.pathswitch.bootstrap.Statements;
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
 * What counting a JDBC statement adds to one statement: a prepared {@code select 1} on embedded H2,
 * executed plainly and executed with the counting hook, and the hook alone.
 *
 * <p>Known shortcoming: the agent does not yet instrument JDBC drivers in this branch (the counting
 * work is merged separately), so {@code selectOneCounted} calls {@link Statements#executed()} by
 * hand, once per statement, which is what the instrumented driver is to do. Once the agent counts
 * statements itself, measure the counted case in a fork with the real agent and {@code jdbc.count =
 * true} instead, as {@code CallCostBenchmark} does for switches; until then these figures leave out
 * whatever the instrumentation adds around the hook (finding the outermost statement).
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
  public int selectOneUncounted() throws SQLException {
    return run();
  }

  @Benchmark
  public int selectOneCounted() throws SQLException {
    Statements.executed();
    return run();
  }

  @Benchmark
  public void countingHookAlone() {
    Statements.executed();
  }

  private int run() throws SQLException {
    try (ResultSet rows = selectOne.executeQuery()) {
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
