package io.pathswitch.bootstrap;

/**
 * Counts the JDBC statements that each switched call runs on its own thread. A switched call opens
 * a frame with {@link #begin()} and closes it with {@link #end(long)}, which tells how many
 * statements ran in between and which statement shape ran most often. The advice inlined into JDBC
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
 * <p>Outside any switched call a statement costs one volatile read and one {@link ThreadLocal}
 * lookup. Thread-safe: each thread keeps its own {@link StatementThread}.
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
   * A statement execution begins. {@code sql} is the method's first argument when it has one.
   * Returns the thread's state when the execution is counted, for {@link #exit}; else null.
   */
  public static StatementThread enter(Object statement, Object sql) {
    if (!counting) {
      return null;
    }
    StatementThread thread = THREAD.get();
    if (thread == null || thread.calls == 0) {
      return null;
    }
    thread.enter(statement, sql);
    return thread;
  }

  /** The execution that {@link #enter} returned {@code thread} for ends. */
  public static void exit(StatementThread thread) {
    if (thread != null) {
      thread.exit();
    }
  }

  /** A connection prepared {@code statement} from {@code sql}; remembered during switched calls. */
  public static void prepared(Object statement, String sql) {
    if (!counting || statement == null || sql == null) {
      return;
    }
    StatementThread thread = THREAD.get();
    if (thread != null && thread.calls > 0) {
      thread.prepared(statement, sql);
    }
  }
}
