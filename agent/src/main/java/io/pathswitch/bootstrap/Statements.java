package io.pathswitch.bootstrap;

/**
 * Counts the JDBC statements that each switched call runs on its own thread. A switched call opens
 * a frame with {@link #begin()} and closes it with {@link #end(long)}, which tells how many
 * statements ran in between and which statement shape ran most often. The code inserted into JDBC
 * drivers calls {@link #enter}, {@link #exit} and {@link #prepared}; it lives on the bootstrap
 * class path so that drivers in any class loader can see it.
 *
 * <p>What is counted: the outermost {@code execute*} or batch execution of a {@code Statement} on
 * the thread, so a pool's proxy and the driver's statement beneath it count once. Statements that
 * other threads run for the call (an executor, a parallel stream) are not counted. A statement
 * counts in every switched call open on its thread: nested calls' statements are part of the
 * enclosing call's count and shapes too (shapes are told apart in the outermost {@value
 * StatementThread#TRACKED_CALLS} levels).
 *
 * <p>Outside any switched call a statement costs one volatile read and at most two {@link
 * ThreadLocal} lookups (one on entry, one on exit). Thread-safe: each thread keeps its own {@link
 * StatementThread}.
 */
public final class Statements {

  private static final ThreadLocal<StatementThread> THREAD = new ThreadLocal<>();

  private static volatile boolean counting;
  private static volatile int repeatWarning = 10;

  private Statements() {}

  /** Sets {@code jdbc.count} and {@code jdbc.repeat-warning}. */
  public static void configure(boolean count, int repeats) {
    repeatWarning = repeats;
    counting = count;
  }

  public static void counting(boolean value) {
    counting = value;
  }

  /** Whether statements are counted; while false, {@link #begin()} returns -1. */
  public static boolean counting() {
    return counting;
  }

  /** How many runs of one shape in one call make an N+1 pattern. */
  public static int repeatWarning() {
    return repeatWarning;
  }

  // ------------------------------------------------------------------ switched calls

  /** Opens a switched call on this thread; hand the token to {@link #end}. -1 when not counting. */
  public static long begin() {
    if (!counting) {
      return -1;
    }
    StatementThread thread = THREAD.get();
    if (thread == null) {
      thread = new StatementThread();
      THREAD.set(thread);
    }
    return thread.begin();
  }

  /**
   * Closes the call that {@code token} opened, and any call opened inside it and left open. Null
   * when the token is -1 or the call was closed already. The result is valid until this thread
   * opens its next call.
   */
  public static CallStatements end(long token) {
    if (token < 0) {
      return null;
    }
    StatementThread thread = THREAD.get();
    return thread == null ? null : thread.end((int) token);
  }

  /** The statements of a closed call, or -1 when they were not counted. */
  public static long count(CallStatements call) {
    return call == null ? -1 : call.statements();
  }

  // ------------------------------------------------------------------ JDBC advice

  /**
   * A statement execution begins. {@code sql} is the method's first argument when it has one, else
   * null. Never throws: it runs inside the driver's call, whose outcome it must not change.
   */
  public static void enter(Object statement, Object sql) {
    if (!counting) {
      return;
    }
    try {
      StatementThread thread = THREAD.get();
      if (thread != null && thread.calls > 0) {
        thread.enter(statement, sql);
      }
    } catch (Throwable ignored) {
      // A statement left uncounted is all a failure here may cost.
    }
  }

  /**
   * The execution this thread entered last ends, by a return or by an exception. It takes no token
   * from {@link #enter}, so that the inlined code needs no local variable of its own: the thread's
   * depth inside executions tells which one ends, and with none open it does nothing. Never throws.
   */
  public static void exit() {
    // Not guarded by the counting flag: an execution entered before counting was turned off must
    // still close, or the thread would take its next statement for a nested one.
    try {
      StatementThread thread = THREAD.get();
      if (thread != null) {
        thread.exit();
      }
    } catch (Throwable ignored) {
      // As in enter: the driver's call goes on.
    }
  }

  /**
   * A connection prepared {@code statement} from {@code sql}; remembered during switched calls.
   * {@code sql} is typed {@code Object} so that the inlined code can pass the method's first
   * argument whatever the verifier infers for it. Never throws.
   */
  public static void prepared(Object statement, Object sql) {
    if (!counting || statement == null || !(sql instanceof String)) {
      return;
    }
    try {
      StatementThread thread = THREAD.get();
      if (thread != null && thread.calls > 0) {
        thread.prepared(statement, (String) sql);
      }
    } catch (Throwable ignored) {
      // As in enter.
    }
  }
}
