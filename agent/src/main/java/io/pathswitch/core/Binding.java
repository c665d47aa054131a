package io.pathswitch.core;

import io.pathswitch.bootstrap.CallStatements;
import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import io.pathswitch.bootstrap.Statements;
import java.lang.invoke.MutableCallSite;
import java.util.Arrays;

/**
 * Ties a switch to one loaded legacy class: the route its instrumented method reads from {@link
 * Routes}. It holds no strong reference to the class or its loader; the unified method is resolved
 * per class through a {@link ClassValue}, which lives and dies with the class.
 *
 * <p>Each run of a path is one frame of {@link Statements}, so its JDBC statements are counted and
 * an N+1 pattern in it is seen. In {@code shadow} and {@code live} modes the second path runs after
 * the first on the caller's thread; whatever it throws, and whatever the comparison throws, stays
 * here: the caller gets the serving path's outcome.
 *
 * <p>A diverted call reaches the unified method in one of two ways: through an argument array
 * ({@link #unified(Class, Object, Object[])}: class files older than Java 7, and each typed call
 * site until the unified method has served once), or through a typed call site that {@link
 * UnifiedCall} links to a chain of method handles doing what that method does. Both record alike.
 */
public final class Binding implements Route {

  private final int id;
  private final Switch sw;
  private final String className;
  private final Invoker.Plan plan;
  private final ClassValue<Invoker> invokers =
      new ClassValue<>() {
        @Override
        protected Invoker computeValue(Class<?> legacyClass) {
          return Invoker.resolve(plan, legacyClass);
        }
      };

  Binding(int id, Switch sw, String className, Invoker.Plan plan) {
    this.id = id;
    this.sw = sw;
    this.className = className;
    this.plan = plan;
  }

  public int id() {
    return id;
  }

  public String className() {
    return className;
  }

  Invoker.Plan plan() {
    return plan;
  }

  void publish(boolean live) {
    Routes.set(id, live ? this : null);
  }

  void withdraw() {
    Routes.set(id, null);
  }

  @Override
  public int decide(long keyHash) {
    return sw.decide(keyHash);
  }

  @Override
  public long begin() {
    return System.nanoTime();
  }

  /** Opens the statement frame of the legacy run that starts now. */
  @Override
  public long queryMark() {
    return Statements.begin();
  }

  @Override
  public Object unified(Class<?> origin, Object self, Object[] args) throws Throwable {
    long frame = Statements.begin();
    long start = System.nanoTime();
    Object result;
    try {
      result = invokers.get(origin).invoke(self, args);
    } catch (Throwable failure) {
      return failed(failure, frame, start);
    }
    completed(frame, start);
    return result == null ? NULL : result;
  }

  /**
   * Runs the call through the array and, once the unified method has served, links {@code site}: a
   * call that fell back or threw may have found the unified method unresolvable, and the site then
   * stays on this path, which tries to resolve it again on every call, as before.
   */
  @Override
  public Object unified(MutableCallSite site, Class<?> origin, Object[] arguments)
      throws Throwable {
    boolean receiver = arguments.length > plan.legacyArity();
    Object self = receiver ? arguments[0] : null;
    Object[] args = receiver ? Arrays.copyOfRange(arguments, 1, arguments.length) : arguments;
    Object result = unified(origin, self, args);
    if (result != USE_LEGACY) {
      link(site, origin);
    }
    return result;
  }

  private void link(MutableCallSite site, Class<?> origin) {
    try {
      site.setTarget(UnifiedCall.of(this, invokers.get(origin), origin, site.type()));
    } catch (RuntimeException | LinkageError e) {
      sw.agentProblem(
          "the typed call of the unified path could not be linked, so calls pass their arguments"
              + " in an array: "
              + e);
    }
  }

  /** Whether {@code route} is this binding: the typed call of a site serves only its own. */
  boolean is(Route route) {
    return route == this;
  }

  /**
   * Ends a unified run that served the call, unless {@code result} says it failed and the legacy
   * path answers; returns {@code result}.
   */
  Object served(Object result, long frame, long start) {
    if (result != USE_LEGACY) {
      completed(frame, start);
    }
    return result;
  }

  /** Records a unified run that served the call, opened at {@code frame} and {@code start}. */
  void completed(long frame, long start) {
    long end = System.nanoTime();
    CallStatements statements = Statements.end(frame);
    sw.unifiedCompleted(end - start, Statements.count(statements), end, true);
    repeats(true, statements);
  }

  /**
   * Ends a unified run that threw: {@link #USE_LEGACY} when the switch falls back, else the failure
   * goes on to the caller.
   */
  Object failed(Throwable failure, long frame, long start) throws Throwable {
    long end = System.nanoTime();
    CallStatements statements = Statements.end(frame);
    boolean fallBack = !(failure instanceof VirtualMachineError) && sw.fallbackEnabled();
    sw.unifiedFailed(end - start, Statements.count(statements), end, failure, true, fallBack);
    repeats(true, statements);
    if (!fallBack) {
      throw failure;
    }
    return USE_LEGACY;
  }

  @Override
  public void legacy(int path, long begin, long queryMark, Throwable thrown) {
    long end = System.nanoTime();
    CallStatements statements = Statements.end(queryMark);
    try {
      sw.legacyCompleted(path, end - begin, Statements.count(statements), end, thrown != null);
      repeats(false, statements);
    } catch (RuntimeException | LinkageError e) {
      sw.agentProblem("recording a legacy call failed: " + e);
    }
  }

  @Override
  public void shadow(
      Class<?> origin,
      Object self,
      Object[] args,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown) {
    legacy(LEGACY, begin, queryMark, thrown);
    try {
      runShadow(origin, self, args, legacyResult, thrown);
    } catch (Throwable e) {
      sw.agentProblem("the shadow run of the unified path failed outside it: " + e);
    }
  }

  /** Runs the unified path after the legacy one has served, and compares their outcomes. */
  private void runShadow(
      Class<?> origin, Object self, Object[] args, Object legacyResult, Throwable legacyThrown) {
    long frame = Statements.begin();
    long start = System.nanoTime();
    Invoker invoker = null;
    Object unifiedResult;
    try {
      invoker = invokers.get(origin);
      unifiedResult = invoker.invoke(self, args);
    } catch (Throwable failure) {
      long end = System.nanoTime();
      CallStatements statements = Statements.end(frame);
      sw.unifiedFailed(end - start, Statements.count(statements), end, failure, false, false);
      repeats(true, statements);
      boolean same = legacyThrown != null && legacyThrown.getClass() == failure.getClass();
      sw.compared(same, args, outcome(legacyResult, legacyThrown), threw(failure));
      return;
    }
    long end = System.nanoTime();
    CallStatements statements = Statements.end(frame);
    sw.unifiedCompleted(end - start, Statements.count(statements), end, false);
    repeats(true, statements);
    compare(invoker, args, legacyResult, legacyThrown, unifiedResult);
  }

  @Override
  public void live(
      Class<?> origin,
      Object[] args,
      Object unifiedResult,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown) {
    long end = System.nanoTime();
    CallStatements statements = Statements.end(queryMark);
    try {
      sw.liveLegacyCompleted(end - begin, Statements.count(statements), end, thrown != null);
      repeats(false, statements);
      Object unifiedValue = unifiedResult == NULL ? null : unifiedResult;
      compare(invokers.get(origin), args, legacyResult, thrown, unifiedValue);
    } catch (Throwable e) {
      sw.agentProblem("the live run of the legacy path failed outside it: " + e);
    }
  }

  private void compare(
      Invoker invoker, Object[] args, Object legacyResult, Throwable legacyThrown, Object unified) {
    if (invoker.comparatorProblem() != null) {
      sw.agentProblem(invoker.comparatorProblem() + "; results are not compared");
      return;
    }
    boolean same = legacyThrown == null && invoker.same(legacyResult, unified);
    sw.compared(same, args, outcome(legacyResult, legacyThrown), unified);
  }

  private void repeats(boolean unifiedPath, CallStatements statements) {
    if (statements != null && statements.repeats() >= Statements.repeatWarning()) {
      sw.repeatedStatements(unifiedPath, statements.repeats(), statements::repeatedShape);
    }
  }

  private static Object outcome(Object result, Throwable thrown) {
    return thrown == null ? result : threw(thrown);
  }

  /** A thrown exception as a result in a mismatch line. */
  private static String threw(Throwable thrown) {
    return "threw " + thrown;
  }
}
