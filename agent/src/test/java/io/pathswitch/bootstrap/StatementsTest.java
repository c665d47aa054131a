package io.pathswitch.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-thread frames, driven the way Binding and the JDBC advice drive them. */
class StatementsTest {

  private final Object statement = new Object();
  private final Object proxy = new Object();

  @BeforeEach
  void count() {
    Statements.configure(true, 10);
  }

  @AfterEach
  void stopCounting() {
    Statements.configure(true, 10);
    Statements.end(0); // closes whatever a failed test left open on this thread
    Statements.configure(false, 10);
  }

  @Test
  void countsTheOutermostExecutionOnceWhateverDelegatesBeneathIt() {
    long frame = Statements.begin();

    Statements.enter(proxy, null);
    Statements.enter(statement, null);
    Statements.exit();
    Statements.exit();
    run("SELECT 1");
    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(2);
  }

  @Test
  void countsNothingOutsideASwitchedCall() {
    run("SELECT 1");
    Statements.enter(statement, "SELECT 2");

    long frame = Statements.begin();
    run("SELECT 3");
    Statements.exit();

    assertThat(Statements.end(frame).statements()).isEqualTo(1);
  }

  @Test
  void closesAnExecutionEnteredBeforeCountingWasTurnedOff() {
    long frame = Statements.begin();
    Statements.enter(proxy, "SELECT 1");
    Statements.counting(false);
    Statements.enter(statement, "SELECT 1");
    Statements.exit();
    Statements.exit();

    Statements.counting(true);
    run("SELECT 2");

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void ignoresAnExitWithNoExecutionOpen() {
    long frame = Statements.begin();
    Statements.exit();
    run("SELECT 1");
    Statements.exit();
    run("SELECT 2");

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void ignoresPreparedSqlThatIsNoString() {
    long frame = Statements.begin();
    Statements.prepared(statement, 42);
    Statements.enter(statement, null);
    Statements.exit();

    assertThat(Statements.end(frame).repeatedShape()).startsWith("a statement of");
  }

  @Test
  void countsANestedCallsStatementsInTheEnclosingCallToo() {
    long outer = Statements.begin();
    run("SELECT 1");
    long inner = Statements.begin();
    run("SELECT 2");
    run("SELECT 3");

    long innerCount = Statements.end(inner).statements();
    long outerCount = Statements.end(outer).statements();

    assertThat(innerCount).isEqualTo(2);
    assertThat(outerCount).isEqualTo(3);
  }

  @Test
  void findsTheRepeatedShapeInEveryEnclosingCall() {
    long outer = Statements.begin();
    run("SELECT list FROM reps");
    for (int id = 0; id < 12; id++) {
      long inner = Statements.begin();
      run("SELECT a FROM reps WHERE id = " + id);
      run("SELECT b FROM invoices WHERE rep = " + id);
      assertThat(Statements.end(inner).repeats()).isEqualTo(1);
    }

    CallStatements call = Statements.end(outer);

    assertThat(call.statements()).isEqualTo(25);
    assertThat(call.repeats()).isEqualTo(12);
    assertThat(call.repeatedShape())
        .isIn("SELECT a FROM reps WHERE id = ?", "SELECT b FROM" + " invoices WHERE rep = ?");
  }

  @Test
  void learnsThePreparedSqlOfAStatementFromItsConnection() {
    long frame = Statements.begin();
    for (int i = 0; i < 11; i++) {
      Object prepared = new Object();
      Statements.prepared(prepared, "SELECT total FROM invoices WHERE rep = ?");
      Statements.enter(prepared, null);
      Statements.exit();
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.repeats()).isEqualTo(11);
    assertThat(call.repeatedShape()).isEqualTo("SELECT total FROM invoices WHERE rep = ?");
  }

  @Test
  void namesAStatementPreparedBeforeTheCallByItsClass() {
    Statements.prepared(statement, "SELECT 1");
    long frame = Statements.begin();
    for (int i = 0; i < 3; i++) {
      Statements.enter(statement, null);
      Statements.exit();
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.repeats()).isEqualTo(3);
    assertThat(call.repeatedShape())
        .isEqualTo("a statement of java.lang.Object prepared before the call (SQL not seen)");
  }

  @Test
  void tellsAtMostThirtyTwoShapesApartAndStillCountsTheRest() {
    long frame = Statements.begin();
    for (int table = 0; table < 40; table++) {
      run("SELECT a FROM t" + table);
    }
    run("SELECT a FROM t39");
    run("SELECT a FROM t0");

    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(42);
    assertThat(call.repeats()).isEqualTo(2);
    assertThat(call.repeatedShape()).isEqualTo("SELECT a FROM t0");
  }

  @Test
  void closesCallsLeftOpenInsideTheOneThatEnds() {
    long outer = Statements.begin();
    Statements.begin();
    run("SELECT 1");

    long statements = Statements.end(outer).statements();
    long after = Statements.begin();

    assertThat(statements).isEqualTo(1);
    assertThat(after).isZero();
    assertThat(Statements.end(after).statements()).isZero();
  }

  @Test
  void answersNothingForAnEndedOrUncountedCall() {
    long frame = Statements.begin();
    Statements.end(frame);

    assertThat(Statements.end(frame)).isNull();
    assertThat(Statements.end(-1)).isNull();
    assertThat(Statements.count(null)).isEqualTo(-1);
    Statements.configure(false, 10);
    assertThat(Statements.begin()).isEqualTo(-1);
  }

  @Test
  void countsOnlyTheStatementsOfItsOwnThread() throws Exception {
    long frame = Statements.begin();
    AtomicLong otherCount = new AtomicLong();
    Thread other =
        new Thread(
            () -> {
              run("SELECT 1");
              long own = Statements.begin();
              run("SELECT 2");
              otherCount.set(Statements.end(own).statements());
            });
    other.start();
    other.join();

    assertThat(Statements.end(frame).statements()).isZero();
    assertThat(otherCount).hasValue(1);
  }

  private void run(String sql) {
    Statements.enter(statement, sql);
    Statements.exit();
  }
}
