package io.pathswitch.benchmarks.jdbc;

import io.pathswitch.bootstrap.Statements;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * One JDBC statement in a fork with the real shaded agent and {@code jdbc.count = true}, so H2's
 * statement classes carry the agent's counting advice: {@code where = outside-call} runs it on a
 * thread with no switched call open (the advice finds nothing to count), {@code inside-call} inside
 * a switched call's frame, opened in set-up the way the instrumented legacy method opens it, so
 * every statement is counted. Compare with {@link StatementBenchmark}, the same statement without
 * the agent.
 *
 * <p>{@link Statements} resolves here to the copy the agent put on the bootstrap class path, since
 * the fork's class path does not hold the agent module.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CountedStatementBenchmark {

  @Param({"outside-call", "inside-call"})
  private String where;

  private Connection connection;
  private PreparedStatement selectOne;
  private long frame = -1;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    if (!Statements.counting()) {
      throw new IllegalStateException("the agent does not count statements in this fork");
    }
    connection = DriverManager.getConnection("jdbc:h2:mem:counted", "sa", "");
    selectOne = connection.prepareStatement("select 1");
    if (where.equals("inside-call")) {
      frame = Statements.begin();
    }
  }

  @Benchmark
  public int selectOne() throws SQLException {
    return StatementBenchmark.run(selectOne);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    selectOne.close();
    connection.close();
    if (where.equals("inside-call")) {
      long counted = Statements.count(Statements.end(frame));
      if (counted <= 0) {
        throw new IllegalStateException(
            "no statement was counted inside the call; the driver is not instrumented");
      }
    }
  }
}
